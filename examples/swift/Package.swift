// swift-tools-version:5.9
// Replays the sample engagement and prints the stage, the checklist for the next stage and
// the supervisor's view:  COACHFLOW_SWIFT_PACKAGE=examples/swift scripts/build-swift swift run
import PackageDescription

let package = Package(
    name: "coachflow-example",
    dependencies: [.package(path: "../../bindings-swift")],
    targets: [
        .executableTarget(name: "coachflow-example", dependencies: [.product(name: "Coachflow", package: "bindings-swift")]),
    ]
)

// swift-tools-version:5.9
// The Swift binding's per-call cost in a release build (issue 16):
//   COACHFLOW_SWIFT_PACKAGE=bench/swift scripts/build-swift swift run -c release --quiet coachflow-swift-bench
import PackageDescription

let package = Package(
    name: "coachflow-swift-bench",
    dependencies: [.package(path: "../../bindings-swift")],
    targets: [
        .executableTarget(
            name: "coachflow-swift-bench",
            dependencies: [.product(name: "Coachflow", package: "bindings-swift")]
        ),
    ]
)

// swift-tools-version:5.9
// The coachflow Swift package. `scripts/build-swift` builds the Rust static library
// (libcoachflow_swift.a), generates Sources/CoachflowNative and Sources/CoachflowFFI/include
// with uniffi, and puts the library where the linker finds it. See README "Swift".
import PackageDescription

let package = Package(
    name: "Coachflow",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [
        .library(name: "Coachflow", targets: ["Coachflow"]),
    ],
    targets: [
        // The C declarations of the Rust library (generated header and module map).
        .target(
            name: "coachflow_swiftFFI",
            path: "Sources/CoachflowFFI",
            linkerSettings: [.linkedLibrary("coachflow_swift")]
        ),
        // The Swift code uniffi generates from the compiled library. Internal to the package.
        .target(name: "CoachflowNative", dependencies: ["coachflow_swiftFFI"]),
        // The public, hand-written API.
        .target(name: "Coachflow", dependencies: ["CoachflowNative"]),
        .testTarget(name: "CoachflowTests", dependencies: ["Coachflow"]),
    ]
)

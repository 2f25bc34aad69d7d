import Coachflow
import Foundation
import XCTest

final class StoreTests: XCTestCase {
    private func temporaryStore() throws -> (Store, String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("coachflow-\(UUID().uuidString).db").path
        return (try Store(path: path), path)
    }

    func testAppendLoadAndTheStoreCodes() throws {
        let (store, _) = try temporaryStore()
        let first = try store.append(opened)
        XCTAssertEqual([first.seq, first.position], [1, 1])
        XCTAssertEqual(try store.load("e-1")?.eventCount, 1)
        XCTAssertNil(try store.load("nobody"))

        XCTAssertThrowsError(try store.append(advance)) { error in
            XCTAssertEqual((error as? CoachflowError)?.violations.map(\.code), ["orientation_incomplete", "preliminary_discussion_missing"])
        }
        let mine = orientation.replacingOccurrences(of: #""actor""#, with: #""seq":2,"actor""#)
        let stored = try store.append(mine)
        XCTAssertEqual(try store.append(mine), stored, "an identical retry returns the stored result")
        let theirs = mine.replacingOccurrences(of: "10:00:00Z", with: "10:30:00Z")
        XCTAssertThrowsError(try store.append(theirs)) { error in
            XCTAssertEqual((error as? CoachflowError)?.code, "concurrent_update")
        }
        XCTAssertEqual(try store.metrics().map(\.engagement), ["e-1"])
        XCTAssertEqual(try store.exportJsonl(), try store.load("e-1")?.toJsonl())
    }

    func testAStoreThatSnapshotsOftenLoadsWhatOneThatNeverDoesLoads() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("coachflow-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let often = try Store(path: folder.appendingPathComponent("often.db").path, snapshotEvery: 1)
        let never = try Store(path: folder.appendingPathComponent("never.db").path, snapshotEvery: 0)
        for event in [opened, orientation] {
            XCTAssertEqual(try often.append(event), try never.append(event))
        }
        let reopened = try Store(path: folder.appendingPathComponent("often.db").path).load("e-1")
        XCTAssertEqual(reopened?.toJsonl(), try never.load("e-1")?.toJsonl())
        XCTAssertEqual(reopened?.eventCount, 2)
    }

    func testThreadsAppendToOneStoreFileAndEachAcceptedEventIsStoredOnce() throws {
        let (store, path) = try temporaryStore()
        try store.append(opened)
        let accepted = ManagedAtomicCounter()
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            guard let own = try? Store(path: path) else { return }
            for attempt in 0..<20 {
                let event = #"{"engagement":"e-1","at":"2026-01-05T10:00:00Z","actor":"cleo","type":"preliminary_goals_discussed","notes":"t\#(thread)-\#(attempt)"}"#
                if (try? own.append(event)) != nil { accepted.increment() }
            }
        }
        XCTAssertEqual(try store.load("e-1")?.eventCount, accepted.value + 1)
    }

    func testAFileThatIsNotADatabaseIsStoreCorrupt() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("garbage-\(UUID().uuidString).db").path
        try Data(repeating: 0x78, count: 8192).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try Store(path: path)) { error in
            XCTAssertEqual((error as? CoachflowError)?.code, "store_corrupt")
        }
    }
}

/// A counter several threads add to.
final class ManagedAtomicCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}

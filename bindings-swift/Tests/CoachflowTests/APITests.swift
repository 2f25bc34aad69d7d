import Coachflow
import Foundation
import XCTest

let opened = #"{"engagement":"e-1","at":"2026-01-05T09:00:00Z","actor":"sam","type":"engagement_opened","coachee":"cleo","supervisor":"sam","coach":"kim"}"#
let orientation = #"{"engagement":"e-1","at":"2026-01-05T10:00:00Z","actor":"cleo","type":"orientation_completed"}"#
let advance = #"{"engagement":"e-1","at":"2026-01-06T09:00:00Z","actor":"sam","type":"stage_advanced","to":"goal_setting"}"#

func openedEngagement() throws -> Engagement {
    let engagement = Engagement(id: "e-1")
    try engagement.apply(opened)
    return engagement
}

final class APITests: XCTestCase {
    func testApplyReturnsWarningsAndCountsEvents() throws {
        let engagement = try openedEngagement()
        XCTAssertEqual(try engagement.apply(orientation), [])
        XCTAssertEqual(engagement.eventCount, 2)
        XCTAssertEqual(engagement.id, "e-1")
        XCTAssertEqual(engagement.toJsonl().split(separator: "\n").count, 2)
    }

    func testARejectedEventThrowsEveryViolationAndChangesNothing() throws {
        let engagement = try openedEngagement()
        XCTAssertThrowsError(try engagement.apply(advance)) { error in
            guard case let CoachflowError.ruleViolation(code, violations, index, _) = error else {
                return XCTFail("not a rule violation: \(error)")
            }
            XCTAssertEqual(code, "orientation_incomplete")
            XCTAssertEqual(violations.map(\.code), ["orientation_incomplete", "preliminary_discussion_missing"])
            XCTAssertEqual(violations.map(\.rule), ["S2", "S3"])
            XCTAssertNil(index)
        }
        XCTAssertEqual(engagement.stage, .preWork)
        XCTAssertEqual(engagement.eventCount, 1)
    }

    func testCheckNeverThrowsForRuleProblems() throws {
        let engagement = try openedEngagement()
        let verdict = engagement.check(advance)
        XCTAssertFalse(verdict.ok)
        XCTAssertEqual(verdict.violations.map(\.code), ["orientation_incomplete", "preliminary_discussion_missing"])
        XCTAssertEqual(engagement.check("{not json").violations.map(\.code), ["invalid_event"])
        let fine = engagement.check(orientation)
        XCTAssertTrue(fine.ok)
        XCTAssertEqual(fine.violations + fine.warnings, [])
    }

    func testRequirementsListEveryGuard() throws {
        let requirements = try openedEngagement().requirements(for: .goalSetting)
        XCTAssertEqual(requirements.map(\.code), ["coach_not_assigned", "orientation_incomplete", "preliminary_discussion_missing"])
        XCTAssertEqual(requirements.map(\.met), [true, false, false])
    }

    func testReplayOfStringsAndJsonLinesNamesTheRejectedEvent() throws {
        let log = try wholeEngagement(0)
        let fromStrings = try Engagement.replay(events: log)
        let fromLines = try Engagement.replay(jsonLines: log.joined(separator: "\n"))
        XCTAssertEqual(fromStrings.stage, .completed)
        XCTAssertEqual(fromStrings.toJsonl(), fromLines.toJsonl())
        var broken = Array(log.prefix(5))
        broken.append("{not json")
        XCTAssertThrowsError(try Engagement.replay(events: broken)) { error in
            guard case let CoachflowError.ruleViolation(code, _, index, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(code, "invalid_event")
            XCTAssertEqual(index, 5)
        }
    }

    func testAllowedEventsObligationsViewsMetricsAndExplanations() throws {
        let engagement = try openedEngagement()
        XCTAssertTrue(try engagement.allowedEvents(for: "cleo").contains("orientation_completed"))
        XCTAssertThrowsError(try engagement.allowedEvents(for: "stranger")) { error in
            XCTAssertEqual((error as? CoachflowError)?.code, "not_a_participant")
        }
        let owed = try engagement.obligations(asOf: "2026-02-01", viewer: "cleo")
        XCTAssertEqual(owed.first?.kind, "complete_orientation")
        XCTAssertThrowsError(try engagement.obligations(asOf: "2026-02-30", viewer: "cleo")) { error in
            guard case .invalidArgument? = error as? CoachflowError else { return XCTFail("\(error)") }
        }

        let done = try Engagement.replay(events: wholeEngagement(0))
        let supervisor = try done.view(as: .supervisor)
        XCTAssertEqual(try done.view(participant: "sam"), supervisor)
        XCTAssertFalse(supervisor.contains("CANARY-SESSION"))
        XCTAssertTrue(try done.view(as: .coachee).contains("CANARY"))
        let summary = try done.viewSummary(as: .supervisor)
        XCTAssertEqual([summary.role.rawValue, summary.engagement, summary.viewer, summary.stage.rawValue], ["supervisor", "v-1", "sam", "completed"])
        let metrics = try done.metrics()
        XCTAssertTrue(metrics.completed)
        XCTAssertEqual(metrics.sessionsHeld, 6)
        XCTAssertTrue(try done.explainVisibility(viewer: "sam", record: "session:1").contains(#""visible":false"#))
    }

    func testTheSchemaDescribesEveryEventType() throws {
        let parsed = try JSONSerialization.jsonObject(with: Data(try schema().utf8)) as? [String: Any]
        XCTAssertEqual(parsed?["$schema"] as? String, "https://json-schema.org/draft/2020-12/schema")
        let definitions = parsed?["$defs"] as? [String: Any]
        XCTAssertNotNil(definitions?["goal_agreed"])
        XCTAssertNotNil(definitions?["script_step"])
    }

    func testARedactedLogReplaysWithoutWhatItsViewerMayNotSee() throws {
        let done = try Engagement.replay(events: wholeEngagement(0))
        let forSupervisor = try done.redactedLog(viewer: "sam")
        XCTAssertFalse(forSupervisor.contains("CANARY-MOOD"))
        XCTAssertTrue(try done.redactedLog(viewer: "cleo").contains("CANARY-MOOD"))
        let replayed = try Engagement.replay(jsonLines: forSupervisor)
        XCTAssertEqual(replayed.stage, done.stage)
        XCTAssertEqual(done.stage, .completed)
        XCTAssertEqual(replayed.eventCount, done.eventCount)
        XCTAssertThrowsError(try done.redactedLog(viewer: "stranger")) { error in
            XCTAssertEqual((error as? CoachflowError)?.code, "not_a_participant")
        }
    }

    func testHostileInputThrowsCoachflowErrorNeverCrashes() throws {
        let engagement = Engagement(id: "h")
        let hostile = [
            String(repeating: "[", count: 100_000), "", "\u{0}", #"{"type":"engagement_opened"}"#,
            opened.replacingOccurrences(of: "\"coach\":\"kim\"", with: "\"coach\":\"kim\",\"favourite_colour\":\"teal\""),
            opened.replacingOccurrences(of: "engagement_opened", with: "coffee_ordered"),
            opened.replacingOccurrences(of: "\"seq\"", with: "").replacingOccurrences(of: "}", with: ",\"seq\":1e400}"),
            opened.replacingOccurrences(of: "cleo", with: String(repeating: "x", count: 5_000_000)).replacingOccurrences(of: "e-1", with: "other"),
        ]
        for event in hostile {
            let verdict = engagement.check(event)
            XCTAssertThrowsError(try engagement.apply(event)) { error in
                XCTAssertEqual((error as? CoachflowError)?.violations, verdict.violations)
            }
        }
        XCTAssertEqual(engagement.eventCount, 0)
    }

    /// The shared bad-input table (docs/hardening.md). Swift strings are always valid
    /// Unicode, so the rows of bytes that are not UTF-8 cannot reach coachflow from Swift.
    func testBadInputTableRowsThrowTheirCodeAtEventOne() throws {
        let url = repositoryRoot.appendingPathComponent("tests/bad-input/cases.json")
        let table = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: url))
        let caps = table["limits"]!
        let limits = Limits(
            maxLineBytes: caps["max_line_bytes"]?.int, maxTextChars: caps["max_text_chars"]?.int,
            maxListItems: caps["max_list_items"]?.int)
        let rows = table["cases"]!.array.filter { $0["line"] != nil }
        XCTAssertGreaterThanOrEqual(rows.count, 15)
        for row in rows {
            let log = table["opening"]!.text + "\n" + row["line"]!.string! + "\n"
            XCTAssertThrowsError(try Engagement.replay(jsonLines: log, limits: limits), row["kind"]!.string!) { error in
                guard case let .ruleViolation(code, _, index, _) = error as? CoachflowError else {
                    return XCTFail("\(row["kind"]!.string!): \(error)")
                }
                XCTAssertEqual(code, row["code"]!.string!, row["kind"]!.string!)
                XCTAssertEqual(index, 1, row["kind"]!.string!)
            }
        }
    }

    func testLimitsRejectOverTheCapAndMalformedLimitsAreInvalidArgument() throws {
        let engagement = try Engagement(id: "e-1", limits: Limits(maxEventsPerEngagement: 1))
        try engagement.apply(opened)
        let orientation = #"{"engagement":"e-1","at":"2026-01-05T10:00:00Z","actor":"cleo","type":"orientation_completed"}"#
        XCTAssertThrowsError(try engagement.apply(orientation)) { error in
            XCTAssertEqual((error as? CoachflowError)?.code, "limit_exceeded")
        }
        XCTAssertThrowsError(try Engagement(id: "e-1", limits: Limits(maxTextChars: -1))) { error in
            XCTAssertEqual((error as? CoachflowError)?.code, "invalid_argument")
        }
    }

    func testEngagementsAreSharedAcrossThreads() throws {
        let log = try wholeEngagement(0)
        let engagement = Engagement(id: "v-1")
        try engagement.apply(log[0])
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            if worker == 0 {
                for event in log.dropFirst() { _ = try? engagement.apply(event) }
            } else {
                for _ in 0..<200 {
                    _ = engagement.check(log[1])
                    _ = try? engagement.requirements(for: .goalSetting)
                }
            }
        }
        XCTAssertEqual(engagement.stage, .completed)
        XCTAssertEqual(engagement.eventCount, log.count)
    }
}

final class PerformanceTests: XCTestCase {
    /// Reports (does not assert) the per-call cost of `check` and the cost of replaying a
    /// 10,000-event log; see README "Swift".
    func testReportCheckAndReplayCost() throws {
        let log = try wholeEngagement(0)
        let engagement = try Engagement.replay(events: Array(log.prefix(40)))
        let event = log[40]
        let calls = 20_000
        var start = Date()
        for _ in 0..<calls { _ = engagement.check(event) }
        let perCheck = Date().timeIntervalSince(start) / Double(calls)

        // 10,000 events: the completed engagement, repeated under different ids.
        var lines: [String] = []
        var copy = 0
        while lines.count < 10_000 {
            lines += log.map { $0.replacingOccurrences(of: "\"v-1\"", with: "\"copy-\(copy)\"") }
            copy += 1
        }
        let text = lines.prefix(10_000).joined(separator: "\n")
        start = Date()
        var replayed = 0
        for chunk in text.split(separator: "\n").chunked(log.count) {
            replayed += (try? Engagement.replay(events: chunk.map(String.init)))?.eventCount ?? chunk.count
        }
        let replay = Date().timeIntervalSince(start)
        print(String(format: "swift: check %.2f us/call; replay of %d events %.1f ms (%.0f events/s)",
                     perCheck * 1e6, replayed, replay * 1e3, Double(replayed) / replay))
        XCTAssertEqual(replayed, 10_000)
    }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

import Coachflow
import XCTest

/// Runs one vector through the Swift API; returns every failure.
func runVector(_ vector: JSONValue) -> [String] {
    let expect = vector["expect"] ?? .object([:])
    var rejected: [Int: [String]] = [:]
    var warned: [Int: [String]] = [:]
    var rejectedDetail: [Int: JSONValue] = [:]
    for item in expect["rejected"]?.array ?? [] {
        rejected[item["index"]!.int!] = item["codes"]!.strings
        rejectedDetail[item["index"]!.int!] = item
    }
    for item in expect["warnings"]?.array ?? [] { warned[item["index"]!.int!] = item["codes"]!.strings }
    var failures: [String] = []
    let engagement = Engagement(id: "")
    let events = vector["events"]!.array
    for (index, event) in events.enumerated() {
        do {
            let warnings = try engagement.apply(event.text).map(\.code)
            if let codes = rejected[index] { failures.append("event \(index): applied, but should be rejected with \(codes)") }
            let missing = (warned[index] ?? []).filter { !warnings.contains($0) }
            if !missing.isEmpty { failures.append("event \(index): warnings lack \(missing) (got \(warnings))") }
        } catch let error as CoachflowError {
            let codes = error.violations.map(\.code)
            if let wanted = rejected[index] {
                let missing = wanted.filter { !codes.contains($0) }
                if !missing.isEmpty { failures.append("event \(index): rejected without \(missing): \(error)") }
                let detail = rejectedDetail[index]
                if detail?["exact"]?.bool == true, codes.contains(where: { !wanted.contains($0) }) {
                    failures.append("event \(index): rejected with more than \(wanted): \(error)")
                }
                let messages = error.violations.map(\.message).joined(separator: " ")
                failures += (detail?["excludes"]?.strings ?? []).filter { messages.contains($0) }
                    .map { "event \(index): a message shows \($0)" }
            } else {
                failures.append("event \(index): unexpectedly rejected: \(error)")
            }
            if warned[index] != nil { failures.append("event \(index): warnings expected, but the event was rejected") }
        } catch {
            failures.append("event \(index): unexpected error \(error)")
        }
    }
    for index in Array(rejected.keys) + Array(warned.keys) where index >= events.count {
        failures.append("expectation names event \(index), but there are \(events.count) events")
    }
    if let stage = expect["stage"]?.string, engagement.stage.rawValue != stage {
        failures.append("stage is \(engagement.stage.rawValue), expected \(stage)")
    }
    if case let .object(requirements)? = expect["requirements"] {
        for (name, wanted) in requirements {
            guard let stage = Stage(rawValue: name) else { failures.append("unknown stage \(name)"); continue }
            guard let listed = try? engagement.requirements(for: stage) else {
                failures.append("requirements for \(name) threw")
                continue
            }
            let unmet = Set(listed.filter { !$0.met }.map(\.code))
            if unmet != Set(wanted["unmet"]!.strings) {
                failures.append("requirements for \(name): unmet \(unmet.sorted()), expected \(wanted["unmet"]!.strings.sorted())")
            }
        }
    }
    if case let .object(views)? = expect["views"] {
        for (name, wanted) in views {
            guard let role = Role(rawValue: name), let text = try? engagement.view(as: role) else {
                failures.append("no \(name) view"); continue
            }
            failures += (wanted["contains"]?.strings ?? []).filter { !text.contains($0) }.map { "the \(name) view lacks \($0)" }
            failures += (wanted["excludes"]?.strings ?? []).filter { text.contains($0) }.map { "the \(name) view shows \($0)" }
        }
    }
    func firstOf(_ name: String) -> String? {
        guard let role = Role(rawValue: name) else { return nil }
        return try? engagement.viewSummary(as: role).viewer
    }
    if case let .object(logs)? = expect["redacted_logs"] {
        for (name, wanted) in logs {
            guard let viewer = firstOf(name), let text = try? engagement.redactedLog(viewer: viewer) else {
                failures.append("no redacted log for the \(name)"); continue
            }
            failures += (wanted["contains"]?.strings ?? []).filter { !text.contains($0) }.map { "the \(name)'s redacted log lacks \($0)" }
            failures += (wanted["excludes"]?.strings ?? []).filter { text.contains($0) }.map { "the \(name)'s redacted log shows \($0)" }
            if (try? Engagement.replay(jsonLines: text))?.stage != engagement.stage {
                failures.append("the \(name)'s redacted log does not replay to the same stage")
            }
        }
    }
    for wanted in expect["explain"]?.array ?? [] {
        let record = wanted["record"]!.string!
        let what = "explain \(record) to the \(wanted["viewer"]!.string!)"
        guard let viewer = firstOf(wanted["viewer"]!.string!) else { failures.append("\(what): no viewer"); continue }
        var text = ""
        do {
            text = try engagement.explainVisibility(viewer: viewer, record: record)
            let answer = parseJSON(text)
            if let error = wanted["error"]?.string { failures.append("\(what): answered, but should fail with \(error)") }
            if let visible = wanted["visible"]?.bool, answer?["visible"]?.bool != visible {
                failures.append("\(what): visible is \(String(describing: answer?["visible"]))")
            }
            if let reason = wanted["reason"]?.string, answer?["reason"]?.string != reason {
                failures.append("\(what): reason is \(String(describing: answer?["reason"]))")
            }
        } catch let error as CoachflowError {
            if error.code != wanted["error"]?.string { failures.append("\(what): failed with \(error.code)") }
            text = "\(error)"
        } catch {
            failures.append("\(what): unexpected error \(error)")
        }
        failures += (wanted["excludes"]?.strings ?? []).filter { text.contains($0) }.map { "\(what): the answer shows \($0)" }
    }
    for wanted in expect["obligations"]?.array ?? [] {
        let name = wanted["viewer"]!.string!
        guard let viewer = firstOf(name),
              let owed = try? engagement.obligations(asOf: wanted["as_of"]!.string!, viewer: viewer) else {
            failures.append("obligations of the \(name) threw"); continue
        }
        let kinds = Set(owed.map(\.kind))
        if kinds != Set(wanted["kinds"]!.strings) {
            failures.append("obligations of the \(name): \(kinds.sorted()), expected \(wanted["kinds"]!.strings.sorted())")
        }
        let text = owed.map { "\($0.participant) \($0.kind) \($0.message) \($0.action ?? "")" }.joined(separator: "\n")
        failures += (wanted["excludes"]?.strings ?? []).filter { text.contains($0) }.map { "obligations of the \(name) show \($0)" }
    }
    return failures
}

final class VectorTests: XCTestCase {
    func testEveryConformanceVector() throws {
        let vectors = try loadVectors()
        XCTAssertGreaterThanOrEqual(vectors.count, 67)
        for (file, vector) in vectors {
            XCTAssertEqual(runVector(vector), [], "\(file): \(vector["name"]?.string ?? "?")")
        }
    }

    func testTheRunnerFailsAVectorWhoseExpectationIsWrong() throws {
        let (_, vector) = try loadVectors()[0]
        guard case var .object(fields) = vector, case var .object(expect) = fields["expect"] ?? .object([:]) else {
            return XCTFail("a vector is an object")
        }
        expect["stage"] = .string("completed")
        fields["expect"] = .object(expect)
        XCTAssertTrue(runVector(.object(fields)).contains { $0.contains("expected completed") })
    }
}

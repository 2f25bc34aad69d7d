import Coachflow
import Foundation
import XCTest

/// The coaching guide in Swift: every accessor answers for every role, step and phase, and
/// the data is exactly the core's (tests/guide/guide.json).
final class GuideTests: XCTestCase {
    private func sharedGuide() throws -> JSONValue {
        let url = repositoryRoot.appendingPathComponent("tests/guide/guide.json")
        return try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: url))
    }

    func testEveryAccessorAnswersForEveryRoleStepAndPhase() throws {
        for role in Role.allCases { XCTAssertFalse(try Guide.responsibilities(for: role).isEmpty, "\(role)") }
        for step in SessionStep.allCases {
            let guide = try Guide.script(for: step)
            XCTAssertEqual(guide.step, step)
            XCTAssertFalse(guide.questions.isEmpty)
        }
        for phase in PartnershipPhase.allCases { XCTAssertFalse(try Guide.partnershipPrompts(for: phase).questions.isEmpty) }
        XCTAssertEqual(try Guide.partneringSignals().count, 6)
        XCTAssertEqual(try Guide.processPhases().count, 5)
    }

    func testTheDataIsTheCores() throws {
        let guide = try sharedGuide()
        for entry in guide["responsibilities"]!.array {
            let role = Role(rawValue: entry["role"]!.string!)!
            let items = try Guide.responsibilities(for: role)
            XCTAssertEqual(items.map(\.id), entry["items"]!.array.map { $0["id"]!.string! })
            XCTAssertEqual(items.map(\.text), entry["items"]!.array.map { $0["text"]!.string! })
        }
        for entry in guide["script"]!.array {
            let step = try Guide.script(for: SessionStep(rawValue: entry["step"]!.string!)!)
            XCTAssertEqual(step.purpose, entry["purpose"]!.string)
            XCTAssertEqual(step.questions, entry["questions"]!.strings)
            XCTAssertEqual(step.leads.map(\.rawValue), entry["leads"]!.strings)
        }
        for entry in guide["partnership_prompts"]!.array {
            let prompts = try Guide.partnershipPrompts(for: PartnershipPhase(rawValue: entry["phase"]!.string!)!)
            XCTAssertEqual(prompts.questions, entry["questions"]!.strings)
        }
        XCTAssertEqual(try Guide.partneringSignals().map(\.text), guide["partnering_signals"]!.array.map { $0["text"]!.string! })
        XCTAssertEqual(try Guide.processPhases().map(\.summary), guide["process_phases"]!.array.map { $0["summary"]!.string! })
        XCTAssertEqual(try Guide.processPhases().map(\.eventTypes), guide["process_phases"]!.array.map { $0["event_types"]!.strings })
    }
}

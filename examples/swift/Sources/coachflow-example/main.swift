import Coachflow
import Foundation

let here = URL(fileURLWithPath: #filePath)
let sample = here.deletingLastPathComponent().appendingPathComponent("../../../sample-engagement.jsonl").standardized
let path = CommandLine.arguments.dropFirst().first ?? sample.path

do {
    let engagement = try Engagement.replay(jsonLines: String(contentsOfFile: path, encoding: .utf8))
    print("engagement \(engagement.id): \(engagement.stage.rawValue), \(engagement.eventCount) events")
    let order = Stage.allCases
    if let position = order.firstIndex(of: engagement.stage), position + 1 < order.count - 1 {
        let next = order[position + 1]
        print("before \(next.rawValue):")
        for requirement in try engagement.requirements(for: next) {
            print("  [\(requirement.met ? "x" : " ")] \(requirement.rule) \(requirement.message)")
        }
    }
    let summary = try engagement.viewSummary(as: .supervisor)
    print("the supervisor (\(summary.viewer)) sees:")
    print(try engagement.view(as: .supervisor))
} catch let error as CoachflowError {
    FileHandle.standardError.write(Data("coachflow: \(error)\n".utf8))
    exit(1)
}

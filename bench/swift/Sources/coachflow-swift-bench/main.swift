// Times `check` of the step the node and Python benchmarks time (coaching -> final_review in
// the first whole engagement of the conformance vectors), and `apply` of the whole log, in
// a release build. Best of seven rounds, like bench/wasm_bench.mjs.
import Coachflow
import Foundation

let here = URL(fileURLWithPath: #filePath)
let vectors = here.deletingLastPathComponent().appendingPathComponent("../../../../tests/vectors/whole_engagements.json").standardized
let file = try JSONSerialization.jsonObject(with: Data(contentsOf: vectors)) as! [String: Any]
let first = (file["vectors"] as! [[String: Any]])[0]
let log = try (first["events"] as! [[String: Any]]).map {
    String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self)
}
guard let cut = log.firstIndex(where: { $0.contains("\"stage_advanced\"") && $0.contains("\"final_review\"") }) else {
    fatalError("the vector has no advance to final_review")
}
let engagement = try Engagement.replay(events: Array(log[..<cut]))
let advance = log[cut]
guard engagement.check(advance).ok else { fatalError("the benchmarked step is not allowed") }

/// The best time per call, in microseconds, of `calls` calls over seven rounds.
func perCall(_ calls: Int, _ work: () throws -> Void) rethrows -> Double {
    var best = Double.infinity
    for _ in 0..<7 {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<calls { try work() }
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3 / Double(calls))
    }
    return best
}

let check = perCall(100_000) { _ = engagement.check(advance) }
let replay = try perCall(200) { _ = try Engagement.replay(events: log) } / Double(log.count)
print(String(format: "swift (release): check(stage_advanced) %.2f us/call (target <= 2 us)", check))
print(String(format: "swift (release): replay %.2f us/event (%d events)", replay, log.count))

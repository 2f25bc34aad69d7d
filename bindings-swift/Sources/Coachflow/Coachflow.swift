// The public Swift API of coachflow. It wraps the types uniffi generates (CoachflowNative),
// which stay internal to the package.
import CoachflowNative
import Foundation

/// An engagement stage, in contract order.
public enum Stage: String, CaseIterable, Codable, Sendable {
    case preWork = "pre_work"
    case goalSetting = "goal_setting"
    case coaching
    case finalReview = "final_review"
    case completed
    case discontinued

    init(_ native: CoachflowNative.Stage) {
        switch native {
        case .preWork: self = .preWork
        case .goalSetting: self = .goalSetting
        case .coaching: self = .coaching
        case .finalReview: self = .finalReview
        case .completed: self = .completed
        case .discontinued: self = .discontinued
        }
    }

    var native: CoachflowNative.Stage {
        switch self {
        case .preWork: return .preWork
        case .goalSetting: return .goalSetting
        case .coaching: return .coaching
        case .finalReview: return .finalReview
        case .completed: return .completed
        case .discontinued: return .discontinued
        }
    }
}

/// A participant's role.
public enum Role: String, CaseIterable, Codable, Sendable {
    case coachee
    case supervisor
    case coach
    case programAdmin = "program_admin"

    var native: CoachflowNative.Role {
        switch self {
        case .coachee: return .coachee
        case .supervisor: return .supervisor
        case .coach: return .coach
        case .programAdmin: return .programAdmin
        }
    }
}

/// One violated rule or one warning.
public struct Finding: Equatable, Hashable, Codable, Sendable {
    /// The stable code, e.g. "coach_not_assigned".
    public let code: String
    /// The rule reference, e.g. "S1".
    public let rule: String
    /// The finding in words.
    public let message: String

    init(_ native: CoachflowNative.Finding) {
        code = native.code
        rule = native.rule
        message = native.message
    }
}

/// One guard of a target stage and whether it holds now.
public struct Requirement: Equatable, Sendable {
    public let code: String
    public let rule: String
    public let met: Bool
    public let message: String
}

/// The verdict of `Engagement.check`: whether the event would apply, and why not.
public struct CheckResult: Equatable, Sendable {
    public let ok: Bool
    public let violations: [Finding]
    public let warnings: [Finding]
}

/// Every error coachflow throws, with the stable code of the other languages.
public enum CoachflowError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An event broke rules and nothing changed. `index` is set for replays.
    case ruleViolation(code: String, violations: [Finding], index: Int?, message: String)
    /// An argument the call does not accept (an unknown stage name, a malformed date).
    case invalidArgument(message: String)
    /// coachflow failed internally; always a bug.
    case internalError(message: String)
    /// A store call failed: "concurrent_update" (reload and retry), "store_unavailable",
    /// "store_corrupt", "store_foreign", "store_too_new", "io_error" (docs/store.md).
    case store(code: String, message: String)

    /// The stable code: a rule code, "invalid_argument", "internal_error" or a store code.
    public var code: String {
        switch self {
        case let .ruleViolation(code, _, _, _): return code
        case .invalidArgument: return "invalid_argument"
        case .internalError: return "internal_error"
        case let .store(code, _): return code
        }
    }

    /// The violations of a rule violation; empty otherwise.
    public var violations: [Finding] {
        if case let .ruleViolation(_, violations, _, _) = self { return violations }
        return []
    }

    public var description: String {
        switch self {
        case let .ruleViolation(_, _, _, message), let .invalidArgument(message), let .internalError(message),
             let .store(_, message):
            return "\(code): \(message)"
        }
    }

    init(_ native: CoachflowNative.CoachflowError) {
        switch native {
        case let .RuleViolation(code, message, violations, index):
            self = .ruleViolation(code: code, violations: violations.map(Finding.init), index: index.map { Int($0) }, message: message)
        case let .Boundary(code, message):
            self = code == "invalid_argument" ? .invalidArgument(message: message) : .internalError(message: message)
        case let .Store(code, message):
            self = .store(code: code, message: message)
        }
    }
}

/// Runs a generated call, turning its error into `CoachflowError`.
private func translated<T>(_ call: () throws -> T) throws -> T {
    do {
        return try call()
    } catch let error as CoachflowNative.CoachflowError {
        throw CoachflowError(error)
    }
}

/// The parts of a view every role has; decode the JSON yourself for the rest (docs/views.md).
public struct ViewSummary: Decodable, Equatable, Sendable {
    public let role: Role
    public let engagement: String
    public let viewer: String
    public let stage: Stage
}

/// Something a participant still owes.
public struct Obligation: Decodable, Equatable, Sendable {
    public let participant: String
    public let role: Role
    public let kind: String
    public let message: String
    public let due: String?
    /// The action it is about, for overdue actions.
    public let action: String?
}

/// Analytics of one engagement, computed from the programme admin's view.
public struct Metrics: Decodable, Equatable, Sendable {
    public let engagement: String
    public let stage: Stage
    public let completed: Bool
    public let discontinued: Bool
    public let discontinuedBy: Role?
    public let sessionsHeld: Int
    public let sessionsCancelled: Int
    public let sessionsMissed: Int
    public let meanSessionRating: Double?
    public let goals: Int
    public let goalsAchieved: Int
    public let partnershipReviews: Int
    public let daysPreWork: Double?
    public let daysGoalSetting: Double?
    public let daysCoaching: Double?
    public let daysFinalReview: Double?
}

private func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    do {
        return try decoder.decode(type, from: Data(json.utf8))
    } catch {
        throw CoachflowError.internalError(message: "could not decode \(T.self): \(error)")
    }
}

/// Size caps for untrusted input (docs/hardening.md). A cap left `nil` keeps the library's
/// default; going over one is `CoachflowError.ruleViolation` with code `limit_exceeded`.
public struct Limits: Sendable, Equatable, Encodable {
    /// Longest log line, in bytes (default 1 MiB).
    public var maxLineBytes: Int?
    /// Most events in one engagement (default 100,000).
    public var maxEventsPerEngagement: Int?
    /// Longest text anywhere in an event, in characters (default 65,536).
    public var maxTextChars: Int?
    /// Most items in any list or object of an event (default 1,000).
    public var maxListItems: Int?
    /// Most engagements in one log (default 1,000,000).
    public var maxEngagements: Int?

    /// Caps to change; the others keep their defaults.
    public init(
        maxLineBytes: Int? = nil, maxEventsPerEngagement: Int? = nil, maxTextChars: Int? = nil,
        maxListItems: Int? = nil, maxEngagements: Int? = nil
    ) {
        self.maxLineBytes = maxLineBytes
        self.maxEventsPerEngagement = maxEventsPerEngagement
        self.maxTextChars = maxTextChars
        self.maxListItems = maxListItems
        self.maxEngagements = maxEngagements
    }

    private enum CodingKeys: String, CodingKey {
        case maxLineBytes = "max_line_bytes"
        case maxEventsPerEngagement = "max_events_per_engagement"
        case maxTextChars = "max_text_chars"
        case maxListItems = "max_list_items"
        case maxEngagements = "max_engagements"
    }

    /// The caps as the JSON object the core reads.
    func json() throws -> String {
        String(decoding: try JSONEncoder().encode(self), as: UTF8.self)
    }
}

/// One coaching engagement: the fold of its events. Events are JSON strings.
///
/// Safe to share between threads: the Rust side is `Send + Sync` and serialises access.
public final class Engagement: @unchecked Sendable {
    private let native: CoachflowNative.Engagement

    fileprivate init(native: CoachflowNative.Engagement) {
        self.native = native
    }

    /// An engagement with this id and no events yet.
    public convenience init(id: String) {
        self.init(native: CoachflowNative.Engagement(id: id))
    }

    /// An engagement with this id and no events yet, whose events are checked against `limits`.
    public convenience init(id: String, limits: Limits) throws {
        let json = try limits.json()
        self.init(native: try translated { try CoachflowNative.Engagement.withLimits(id: id, limitsJson: json) })
    }

    /// Replays a log given as one JSON string per event; throws at the first rejected event.
    public static func replay(events: [String], limits: Limits? = nil) throws -> Engagement {
        let json = try limits?.json()
        return try Engagement(native: translated {
            try CoachflowNative.Engagement.replay(events: events, limitsJson: json)
        })
    }

    /// Replays a log written as JSON Lines.
    public static func replay(jsonLines: String, limits: Limits? = nil) throws -> Engagement {
        let json = try limits?.json()
        return try Engagement(native: translated {
            try CoachflowNative.Engagement.replayJsonl(text: jsonLines, limitsJson: json)
        })
    }

    /// Applies an event; returns its warnings. Throws `CoachflowError.ruleViolation` listing
    /// every broken rule, and then nothing has changed.
    @discardableResult
    public func apply(_ event: String) throws -> [Finding] {
        try translated { try native.apply(event: event) }.map(Finding.init)
    }

    /// What `apply` would do, without changing anything. Never throws for rule problems.
    public func check(_ event: String) -> CheckResult {
        do {
            let result = try native.check(event: event)
            return CheckResult(ok: result.ok, violations: result.violations.map(Finding.init), warnings: result.warnings.map(Finding.init))
        } catch {
            let finding = Finding(CoachflowNative.Finding(code: "internal_error", rule: "", message: "\(error)"))
            return CheckResult(ok: false, violations: [finding], warnings: [])
        }
    }

    /// Every guard of the target stage, met or not: the checklist before "advance". Throws
    /// only `CoachflowError.internalError`.
    public func requirements(for stage: Stage) throws -> [Requirement] {
        try translated { try native.requirements(stage: stage.native) }
            .map { Requirement(code: $0.code, rule: $0.rule, met: $0.met, message: $0.message) }
    }

    /// The event types this participant may record now.
    public func allowedEvents(for participant: String) throws -> [String] {
        try translated { try native.allowedEvents(participant: participant) }
    }

    /// What `viewer` may see of what everyone still owes as of a date written YYYY-MM-DD:
    /// their own obligations and those whose subject their view shows.
    public func obligations(asOf date: String, viewer: String) throws -> [Obligation] {
        try decode([Obligation].self, translated { try native.obligationsJson(asOf: date, viewer: viewer) })
    }

    /// What this participant may see, as JSON.
    public func view(participant: String) throws -> String {
        try translated { try native.viewJson(participant: participant) }
    }

    /// What the (first) participant with this role may see, as JSON.
    public func view(as role: Role) throws -> String {
        try translated { try native.viewAsJson(role: role.native) }
    }

    /// The common part of a role's view, decoded.
    public func viewSummary(as role: Role) throws -> ViewSummary {
        try decode(ViewSummary.self, view(as: role))
    }

    /// Analytics of this engagement.
    public func metrics() throws -> Metrics {
        try decode(Metrics.self, translated { try native.metricsJson() })
    }

    /// Whether `viewer` may see `record`, and why, as JSON.
    public func explainVisibility(viewer: String, record: String) throws -> String {
        try translated { try native.explainVisibilityJson(viewer: viewer, record: record) }
    }

    /// The engagement id.
    public var id: String { native.id() }

    /// The current stage.
    public var stage: Stage { Stage(native.stage()) }

    /// The number of events applied.
    public var eventCount: Int { Int(native.eventCount()) }

    /// The log as JSON Lines.
    public func toJsonl() -> String { native.toJsonl() }

    /// The log as `viewer` may hold it, as JSON Lines: everything their view does not show
    /// replaced by placeholders. Replaying it checks the viewer's events as the whole log does.
    public func redactedLog(viewer: String) throws -> String {
        try translated { try native.redactedLogJsonl(viewer: viewer) }
    }
}

/// The JSON Schema (draft 2020-12) of an event: the envelope and every event type, as
/// `coachflow schema` prints it, for validators and form builders.
public func schema() throws -> String {
    try translated { try schemaJson() }
}

/// A step of the built-in session script.
public enum SessionStep: String, CaseIterable, Codable, Sendable {
    case checkIn = "check_in"
    case sessionGoal = "session_goal"
    case assignmentReview = "assignment_review"
    case coaching
    case actionCommitment = "action_commitment"
    case keyOutcomes = "key_outcomes"
    case nextAssignment = "next_assignment"
    case sessionFeedback = "session_feedback"
}

/// A phase of a session in which a coach checks that they partner with the coachee.
public enum PartnershipPhase: String, CaseIterable, Codable, Sendable {
    case opening
    case checkingIn = "checking_in"
    case meaningMaking = "meaning_making"
    case actionPlanning = "action_planning"
    case closing
}

/// One thing a role commits to.
public struct Responsibility: Decodable, Equatable, Sendable {
    public let id: String
    public let text: String
    public let locale: String
}

/// What a session step is for, who leads it, and what a coach can ask.
public struct StepGuide: Decodable, Equatable, Sendable {
    public let step: SessionStep
    public let purpose: String
    public let leads: [Role]
    public let questions: [String]
    public let locale: String
}

/// The questions that show a coach is partnering in one phase.
public struct PhasePrompts: Decodable, Equatable, Sendable {
    public let phase: PartnershipPhase
    public let questions: [String]
    public let locale: String
}

/// A sign that a coach was not partnering.
public struct PartneringSignal: Decodable, Equatable, Sendable {
    public let code: String
    public let text: String
    public let locale: String
}

/// One phase of the coaching process.
public struct ProcessPhase: Decodable, Equatable, Sendable {
    public let id: String
    public let name: String
    public let summary: String
    public let stages: [Stage]
    public let eventTypes: [String]
    public let locale: String
}

/// The coaching guide: the same data as in every other language, defined once in the core.
public enum Guide {
    /// What `role` commits to.
    public static func responsibilities(for role: Role) throws -> [Responsibility] {
        try decode([Responsibility].self, translated { try responsibilitiesJson(role: role.native) })
    }

    /// What a session step is for, who leads it, and what a coach can ask.
    public static func script(for step: SessionStep) throws -> StepGuide {
        try decode(StepGuide.self, translated { try scriptGuideJson(step: step.rawValue) })
    }

    /// The questions that show a coach is partnering in `phase`.
    public static func partnershipPrompts(for phase: PartnershipPhase) throws -> PhasePrompts {
        try decode(PhasePrompts.self, translated { try partnershipPromptsJson(phase: phase.rawValue) })
    }

    /// The six signs that a coach was not partnering.
    public static func partneringSignals() throws -> [PartneringSignal] {
        try decode([PartneringSignal].self, translated { try partneringSignalsJson() })
    }

    /// The five phases of the coaching process.
    public static func processPhases() throws -> [ProcessPhase] {
        try decode([ProcessPhase].self, translated { try processPhasesJson() })
    }
}

/// What appending an event to a store did.
public struct Appended: Equatable, Sendable {
    /// The event's position in its engagement.
    public let seq: Int
    /// Its position in the store's global feed.
    public let position: Int
    /// The rules' warnings.
    public let warnings: [Finding]
}

/// Engagements kept in one SQLite file on the device, appended to safely by any number of
/// threads (docs/store.md).
public final class Store: @unchecked Sendable {
    private let native: CoachflowNative.Store

    /// Opens (creating when missing) the store in this file. A snapshot of an engagement is
    /// written each time `snapshotEvery` more of its events are stored (0: never), and loads
    /// start from the latest one.
    public init(path: String, snapshotEvery: Int = 100) throws {
        let every = UInt64(max(snapshotEvery, 0))
        native = try translated { try CoachflowNative.Store.open(path: path, snapshotEvery: every) }
    }

    /// Checks an event (JSON) against its engagement as stored and stores it. A rejected
    /// event throws `.ruleViolation`; another writer's event at the same seq throws
    /// `.store(code: "concurrent_update", ...)`.
    @discardableResult
    public func append(_ event: String) throws -> Appended {
        let appended = try translated { try native.append(event: event) }
        return Appended(seq: Int(appended.seq), position: Int(appended.position), warnings: appended.warnings.map(Finding.init))
    }

    /// The engagement as stored, or nil.
    public func load(_ engagement: String) throws -> Engagement? {
        try translated { try native.load(engagement: engagement) }.map(Engagement.init(native:))
    }

    /// One analytics row per engagement.
    public func metrics() throws -> [Metrics] {
        try decode([Metrics].self, translated { try native.metricsJson() })
    }

    /// Every open obligation of every engagement as of a date (`YYYY-MM-DD`), as JSON.
    public func dueJson(asOf date: String) throws -> String {
        try translated { try native.dueJson(asOf: date) }
    }

    /// Up to `limit` events after global position `after`, as JSON.
    public func sinceJson(after: Int, limit: Int) throws -> String {
        try translated { try native.sinceJson(after: UInt64(after), limit: UInt64(limit)) }
    }

    /// Imports a JSON Lines file (resumable after a crash); returns how many events were stored.
    @discardableResult
    public func importJsonl(path: String) throws -> Int {
        Int(try translated { try native.importJsonl(path: path) })
    }

    /// Every stored event as JSON Lines: the canonical log.
    public func exportJsonl() throws -> String {
        try translated { try native.exportJsonl() }
    }
}

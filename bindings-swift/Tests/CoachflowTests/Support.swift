import Foundation

/// The repository root, found from this file's location.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Any JSON value, to read the vector files and write events back as JSON text.
indirect enum JSONValue: Codable, Equatable {
    case null, bool(Bool), int(Int64), double(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int64.self) { self = .int(value) }
        else if let value = try? container.decode(Double.self) { self = .double(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case let .bool(value): try container.encode(value)
        case let .int(value): try container.encode(value)
        case let .double(value): try container.encode(value)
        case let .string(value): try container.encode(value)
        case let .array(value): try container.encode(value)
        case let .object(value): try container.encode(value)
        }
    }

    subscript(key: String) -> JSONValue? {
        if case let .object(fields) = self { return fields[key] }
        return nil
    }

    var array: [JSONValue] { if case let .array(items) = self { return items }; return [] }
    var string: String? { if case let .string(text) = self { return text }; return nil }
    var int: Int? { if case let .int(number) = self { return Int(number) }; return nil }
    var bool: Bool? { if case let .bool(flag) = self { return flag }; return nil }
    var strings: [String] { array.compactMap(\.string) }

    /// Compact JSON text.
    var text: String { String(decoding: try! JSONEncoder().encode(self), as: UTF8.self) }
}

/// Parses JSON text (a view, an explanation) into a value.
func parseJSON(_ text: String) -> JSONValue? {
    try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
}

/// Every vector of tests/vectors, with its file name.
func loadVectors() throws -> [(file: String, vector: JSONValue)] {
    let folder = repositoryRoot.appendingPathComponent("tests/vectors")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
    return try names.flatMap { name -> [(file: String, vector: JSONValue)] in
        let document = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: folder.appendingPathComponent(name)))
        let vectors = document["vectors"]?.array ?? [document]
        return vectors.map { (file: name, vector: $0) }
    }
}

/// The events of one whole-engagement vector, as JSON strings.
func wholeEngagement(_ index: Int) throws -> [String] {
    let vectors = try loadVectors().filter { $0.file == "whole_engagements.json" }
    return vectors[index].vector["events"]!.array.map(\.text)
}

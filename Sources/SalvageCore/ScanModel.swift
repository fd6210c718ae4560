import Foundation

/// A figure several analyzers read (the hotspot model, the dependency inventory, per-path history
/// totals, the tip's files joined to the history's paths): computed once per scan, by the Scanner,
/// before the analyzers that declare it as an input (`Analyzer.inputs`) and from its own compiled
/// rules, so that no analyzer depends on another one's run or rules. Models may declare models of
/// their own (`inputs`); together they make a small graph the Scanner runs in order.
public protocol ScanModel: Sendable {
  associatedtype Rules: Sendable
  /// The models this one is computed from.
  static var inputs: [any ScanModel.Type] { get }
  /// Reads the rule files the model uses, strictly, before any git work.
  static func compile(_ rules: RuleSet) throws -> Rules
  /// What the model draws from every text blob (see `Analyzer.blobFactExtractors`).
  static func blobFactExtractors(_ rules: Rules) -> [String: any BlobFactExtractor]
  static func make(_ context: ScanContext, rules: Rules, models: Models) throws -> Self
}

extension ScanModel {
  public static var inputs: [any ScanModel.Type] { [] }
  public static func blobFactExtractors(_ rules: Rules) -> [String: any BlobFactExtractor] { [:] }
}

/// The models computed for a scan. An analyzer reads those it declared; asking for another is an error
/// of the analyzer (exit 70), never a silent computation.
public final class Models: @unchecked Sendable {
  private let lock = NSLock()
  private var values: [ObjectIdentifier: any Sendable] = [:]

  public init() {}

  public func callAsFunction<M: ScanModel>(_ type: M.Type) throws -> M {
    guard let value = lock.withLock({ values[ObjectIdentifier(type)] }) as? M else {
      throw ModelError(message: "model \(type) was not declared as an input")
    }
    return value
  }

  func set(_ id: ObjectIdentifier, _ value: any Sendable) { lock.withLock { values[id] = value } }
}

public struct ModelError: Error, CustomStringConvertible {
  public let message: String
  public var description: String { message }
}

/// A model with its rules compiled: its place in the graph and how to make it.
struct CompiledModel: Sendable {
  let id: ObjectIdentifier
  let name: String
  let inputs: [ObjectIdentifier]
  let extractors: [String: any BlobFactExtractor]
  let make: @Sendable (ScanContext, Models) throws -> any Sendable

  init<M: ScanModel>(_ type: M.Type, rules: RuleSet) throws {
    let compiled = try type.compile(rules)
    id = ObjectIdentifier(type)
    name = "\(type)"
    inputs = type.inputs.map { ObjectIdentifier($0) }
    extractors = type.blobFactExtractors(compiled)
    make = { context, models in try type.make(context, rules: compiled, models: models) }
  }

  /// Every model `roots` need, each compiled once, inputs before the models that read them.
  static func graph(_ roots: [any ScanModel.Type], rules: RuleSet) throws -> [CompiledModel] {
    var out: [CompiledModel] = []
    var placed = Set<ObjectIdentifier>()
    func place(_ type: any ScanModel.Type) throws {
      guard !placed.contains(ObjectIdentifier(type)) else { return }
      placed.insert(ObjectIdentifier(type))
      for input in type.inputs { try place(input) }
      out.append(try CompiledModel(type, rules: rules))
    }
    for root in roots { try place(root) }
    return out
  }
}

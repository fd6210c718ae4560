import Foundation

/// What several analyzers derive from the same context (the hotspot model, per-path history totals):
/// computed once, by the first analyzer that asks and on its thread, then shared with the others.
/// One value per type, so a type kept here must be a function of the context alone.
public final class SharedFigures: @unchecked Sendable {
  private let lock = NSLock()
  private var cells: [ObjectIdentifier: Cell] = [:]

  /// One value and the lock its first computation holds: an analyzer that asks meanwhile waits for it.
  private final class Cell: @unchecked Sendable {
    let lock = NSLock()
    var value: (any Sendable)?
  }

  public init() {}

  public func value<T: Sendable>(_ type: T.Type = T.self, _ make: () throws -> T) rethrows -> T {
    let cell = lock.withLock {
      if let cell = cells[ObjectIdentifier(type)] { return cell }
      let cell = Cell()
      cells[ObjectIdentifier(type)] = cell
      return cell
    }
    cell.lock.lock()
    defer { cell.lock.unlock() }
    if let value = cell.value as? T { return value }
    let value = try make()
    cell.value = value
    return value
  }
}

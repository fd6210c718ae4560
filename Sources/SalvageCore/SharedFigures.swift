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

/// The tip's files against the history's paths, both ways, and each file's component: several
/// analyzers join the two, and doing it once spares a hash lookup and a path printed per file each.
public struct TipPaths: Sendable {
  /// By snapshot file index: the file's path id, or -1 when no commit of the history touched it.
  public let pathIDs: [PathID]
  /// By path id: the index of the tip's file at that path, or -1 when it is gone.
  public let fileIndex: [Int32]
  /// By snapshot file index: the file's component.
  public let components: [String]

  init(_ context: ScanContext) {
    let files = context.snapshot.files
    var pathIDs = [PathID](repeating: -1, count: files.count)
    var fileIndex = [Int32](repeating: -1, count: context.history.paths.count)
    var components: [String] = []
    components.reserveCapacity(files.count)
    for i in files.indices {
      let path = files[i].path
      if let id = context.history.paths.id(of: path) {
        pathIDs[i] = id
        fileIndex[Int(id)] = Int32(i)
      }
      components.append(context.components.component(of: path))
    }
    self.pathIDs = pathIDs
    self.fileIndex = fileIndex
    self.components = components
  }
}

extension ScanContext {
  /// The tip's files joined to the history's paths, computed once per scan.
  public var tipPaths: TipPaths { shared.value { TipPaths(self) } }
}

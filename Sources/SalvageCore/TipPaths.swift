import Foundation

/// The tip's files against the history's paths, both ways, and each file's component: several
/// analyzers join the two, and doing it once spares a hash lookup and a path printed per file each.
public struct TipPaths: ScanModel {
  /// By snapshot file index: the file's path id, or -1 when no commit of the history touched it.
  public let pathIDs: [PathID]
  /// By path id: the index of the tip's file at that path, or -1 when it is gone.
  public let fileIndex: [Int32]
  /// By snapshot file index: the file's component.
  public let components: [String]

  public static func compile(_ rules: RuleSet) {}

  public static func make(_ context: ScanContext, rules: Void, models: Models) -> TipPaths { TipPaths(context) }

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

import Git

/// One file of the tip's tree.
public struct SnapshotFile: Sendable {
  public let path: [UInt8]
  /// The path as printed (git-quoted when it is not UTF-8).
  public let displayPath: String
  public let id: ObjectID
  public let mode: UInt32
  public let size: Int
  /// Lines of text (0 for binary files and gitlinks).
  public let lines: Int
  public let language: String?
  public let fileClass: FileClass
  /// The bytes of text files up to `Snapshot.contentCap`; nil for binary, larger or unread files.
  public let content: [UInt8]?

  public init(path: [UInt8], id: ObjectID, mode: UInt32, size: Int, lines: Int, language: String?, fileClass: FileClass, content: [UInt8]?) {
    self.path = path
    self.displayPath = PathText.display(path)
    self.id = id
    self.mode = mode
    self.size = size
    self.lines = lines
    self.language = language
    self.fileClass = fileClass
    self.content = content
  }

  /// Production code: source files that are not tests, vendored, generated and so on.
  public var isCode: Bool { fileClass == .source || fileClass == .test }
}

/// The tip's tree: what is in the code base today.
public struct Snapshot: Sendable {
  /// Text files larger than this are counted but their bytes are not kept for the analyzers.
  public static let contentCap = 1 << 20
  /// Lockfiles are kept up to this size: npm and Yarn lockfiles of real applications pass 1 MB.
  public static let lockfileCap = 16 << 20
  /// Blobs larger than this are not read at all (their lines are not counted).
  public static let readCap = 64 << 20

  public let files: [SnapshotFile]
  private let index: [[UInt8]: Int]

  public init(files: [SnapshotFile]) {
    self.files = files
    var index: [[UInt8]: Int] = [:]
    for (i, file) in files.enumerated() { index[file.path] = i }
    self.index = index
  }

  public func file<C: Collection>(at path: C) -> SnapshotFile? where C.Element == UInt8 {
    index[Array(path)].map { files[$0] }
  }
}

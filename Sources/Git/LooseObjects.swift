import CDeflate
import CLibGit2
#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Loose objects, read by us rather than by libgit2: libgit2 1.5's inflate loops forever on a
/// truncated zlib stream (an interrupted write leaves one), so every repository handle gets an object
/// database of libgit2's pack backends and this loose backend instead of libgit2's own. A read here is
/// bounded: the file is inflated in one call into a buffer that grows, at most, to deflate's largest
/// ratio, and anything that is not a whole, well-formed object is an error naming the object.
enum LooseObjects {
  /// Replaces the object database of `repository` (its object folder and those it borrows from).
  static func install(in repository: OpaquePointer) throws(GitError) {
    let common = git_repository_commondir(repository).map { String(cString: $0) } ?? ""
    var odb: OpaquePointer?
    try check(git_odb_new(&odb), "git_odb_new")
    defer { git_odb_free(odb) }
    for (n, folder) in ObjectStore.objectFolders(common + "objects").enumerated() {
      // libgit2's priorities: packs (2) before loose objects (1); borrowed folders after our own.
      var pack: UnsafeMutablePointer<git_odb_backend>?
      if git_odb_backend_pack(&pack, folder) == 0, let pack {
        try check(n == 0 ? git_odb_add_backend(odb, pack, 2) : git_odb_add_alternate(odb, pack, 2), "git_odb_add_backend")
      }
      let loose = backend(for: folder)
      try check(n == 0 ? git_odb_add_backend(odb, loose, 1) : git_odb_add_alternate(odb, loose, 1), "git_odb_add_backend")
    }
    try check(git_repository_set_odb(repository, odb), "git_repository_set_odb")
  }

  /// The object with this hex id in `folder`, or nil when the folder has no such loose object.
  static func read(hex: String, in folder: String) throws(GitError) -> ObjectStore.Object? {
    let path = folder + "/" + hex.prefix(2) + "/" + hex.dropFirst(2)
    guard let file = try fileBytes(path, hex: hex) else { return nil }
    guard let raw = inflate(file) else { throw corrupt(hex, "bad or truncated zlib stream") }
    return try parse(raw, hex: hex)
  }

  /// The file's bytes; nil when there is no such file. Opened without blocking and read only when it is
  /// a regular file, so a FIFO in the object folder cannot stall the scan.
  private static func fileBytes(_ path: String, hex: String) throws(GitError) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard fd >= 0 else {
      if errno == ENOENT || errno == ENOTDIR { return nil }
      throw corrupt(hex, "cannot open \(path): \(String(cString: strerror(errno)))")
    }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { throw corrupt(hex, "not a regular file") }
    let size = Int(info.st_size)
    var failed = false
    let bytes = [UInt8](unsafeUninitializedCapacity: max(size, 1)) { buffer, count in
      var done = 0
      while done < size {
        let got = pread(fd, buffer.baseAddress! + done, size - done, off_t(done))
        if got < 0, errno == EINTR { continue }
        guard got > 0 else { break }
        done += got
      }
      failed = done != size
      count = failed ? 0 : size
    }
    if failed { throw corrupt(hex, "short read") }
    return bytes
  }

  /// A whole zlib stream, inflated; nil when it is not one. The output buffer starts at four times the
  /// input and doubles up to deflate's largest ratio (1032:1), so a read costs a bounded time.
  static func inflate(_ input: [UInt8]) -> [UInt8]? {
    guard !input.isEmpty, let decompressor = libdeflate_alloc_decompressor() else { return nil }
    defer { libdeflate_free_decompressor(decompressor) }
    let ceiling = input.count.multipliedReportingOverflow(by: 1032).partialValue + 1024
    var capacity = min(max(input.count * 4, 256), ceiling)
    while true {
      var result = LIBDEFLATE_BAD_DATA
      let out = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
        var produced = 0
        result = input.withUnsafeBufferPointer {
          libdeflate_zlib_decompress(decompressor, $0.baseAddress, $0.count, buffer.baseAddress, capacity, &produced)
        }
        count = result == LIBDEFLATE_SUCCESS ? produced : 0
      }
      if result == LIBDEFLATE_SUCCESS { return out }
      guard result == LIBDEFLATE_INSUFFICIENT_SPACE, capacity < ceiling else { return nil }
      capacity = min(capacity * 2, ceiling)
    }
  }

  /// `<type> <size>\0<content>`, with the size exactly the content's.
  static func parse(_ raw: [UInt8], hex: String) throws(GitError) -> ObjectStore.Object {
    guard let space = raw.prefix(8).firstIndex(of: UInt8(ascii: " ")) else { throw corrupt(hex, "bad header") }
    let kind: ObjectStore.Kind
    switch String(decoding: raw[..<space], as: UTF8.self) {
    case "commit": kind = .commit
    case "tree": kind = .tree
    case "blob": kind = .blob
    case "tag": kind = .tag
    default: throw corrupt(hex, "unknown type")
    }
    var size = 0, i = space + 1
    while i < raw.count, raw[i] != 0 {
      let digit = Int(raw[i]) - 48
      guard (0...9).contains(digit), i - space <= 18 else { throw corrupt(hex, "bad size") }
      size = size * 10 + digit
      i += 1
    }
    guard i < raw.count, i > space + 1, raw.count - i - 1 == size else { throw corrupt(hex, "size does not match its content") }
    return ObjectStore.Object(kind: kind, data: Array(raw[(i + 1)...]))
  }

  static func corrupt(_ hex: String, _ what: String) -> GitError {
    GitError(kind: .unreadableObject, code: GIT_ERROR.rawValue, message: "corrupt loose object \(hex) (\(what))", call: "loose")
  }

  // MARK: - The libgit2 backend

  private final class Folder {
    let path: String
    init(_ path: String) { self.path = path }
  }

  private static func folder(_ backend: UnsafeMutablePointer<git_odb_backend>?) -> String {
    let whole = UnsafeMutableRawPointer(backend!).assumingMemoryBound(to: salvage_odb_backend.self)
    return Unmanaged<Folder>.fromOpaque(whole.pointee.owner).takeUnretainedValue().path
  }

  private static func hex(_ id: UnsafePointer<git_oid>?) -> String {
    var text = [CChar](repeating: 0, count: 41)
    git_oid_fmt(&text, id)
    return String(cString: text)
  }

  /// Answers a read for libgit2: 0 with the object, GIT_ENOTFOUND, or an error libgit2 reports.
  private static func answer(_ backend: UnsafeMutablePointer<git_odb_backend>?, _ hex: String,
                             _ body: (ObjectStore.Object) -> Void) -> Int32 {
    do {
      guard let object = try read(hex: hex, in: folder(backend)) else { return GIT_ENOTFOUND.rawValue }
      body(object)
      return 0
    } catch {
      git_error_set_str(Int32(GIT_ERROR_ODB.rawValue), error.message)
      return GIT_ERROR.rawValue
    }
  }

  private static func objectType(_ kind: ObjectStore.Kind) -> git_object_t { git_object_t(rawValue: Int32(kind.rawValue)) }

  private static func hand(_ object: ObjectStore.Object, _ backend: UnsafeMutablePointer<git_odb_backend>?,
                           _ data: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ length: UnsafeMutablePointer<Int>?,
                           _ type: UnsafeMutablePointer<git_object_t>?) {
    let buffer = git_odb_backend_data_alloc(backend, max(object.data.count, 1))
    if let buffer, !object.data.isEmpty { object.data.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: $0.count) } }
    data?.pointee = buffer
    length?.pointee = object.data.count
    type?.pointee = objectType(object.kind)
  }

  /// The loose objects whose hex id starts with `prefix` (at least two digits).
  private static func matching(_ prefix: Substring, in folder: String) -> [String] {
    guard prefix.count >= 2, let dir = opendir(folder + "/" + prefix.prefix(2)) else { return [] }
    defer { closedir(dir) }
    let rest = prefix.dropFirst(2)
    var out: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
      guard name.utf8.count == 38, name.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }),
            name.hasPrefix(rest) else { continue }
      out.append(String(prefix.prefix(2)) + name)
    }
    return out
  }

  private static func backend(for path: String) -> UnsafeMutablePointer<git_odb_backend> {
    let whole = UnsafeMutablePointer<salvage_odb_backend>.allocate(capacity: 1)
    whole.initialize(to: salvage_odb_backend())
    git_odb_init_backend(&whole.pointee.parent, UInt32(GIT_ODB_BACKEND_VERSION))
    whole.pointee.owner = Unmanaged.passRetained(Folder(path)).toOpaque()
    whole.pointee.parent.read = { data, length, type, backend, id in
      LooseObjects.answer(backend, LooseObjects.hex(id)) { LooseObjects.hand($0, backend, data, length, type) }
    }
    whole.pointee.parent.read_header = { length, type, backend, id in
      LooseObjects.answer(backend, LooseObjects.hex(id)) { object in
        length?.pointee = object.data.count
        type?.pointee = LooseObjects.objectType(object.kind)
      }
    }
    whole.pointee.parent.read_prefix = { found, data, length, type, backend, id, digits in
      let prefix = LooseObjects.hex(id).prefix(digits)
      let hits = LooseObjects.matching(prefix, in: LooseObjects.folder(backend))
      guard hits.count == 1 else { return hits.isEmpty ? GIT_ENOTFOUND.rawValue : GIT_EAMBIGUOUS.rawValue }
      return LooseObjects.answer(backend, hits[0]) { object in
        _ = git_oid_fromstr(found, hits[0])
        LooseObjects.hand(object, backend, data, length, type)
      }
    }
    whole.pointee.parent.exists = { backend, id in
      let hex = LooseObjects.hex(id)
      var info = stat()
      return stat(LooseObjects.folder(backend) + "/" + hex.prefix(2) + "/" + hex.dropFirst(2), &info) == 0 ? 1 : 0
    }
    whole.pointee.parent.exists_prefix = { found, backend, id, digits in
      let hits = LooseObjects.matching(LooseObjects.hex(id).prefix(digits), in: LooseObjects.folder(backend))
      guard hits.count == 1 else { return hits.isEmpty ? GIT_ENOTFOUND.rawValue : GIT_EAMBIGUOUS.rawValue }
      _ = git_oid_fromstr(found, hits[0])
      return 0
    }
    whole.pointee.parent.free = { backend in
      let whole = UnsafeMutableRawPointer(backend!).assumingMemoryBound(to: salvage_odb_backend.self)
      Unmanaged<Folder>.fromOpaque(whole.pointee.owner).release()
      whole.deinitialize(count: 1)
      whole.deallocate()
    }
    return UnsafeMutableRawPointer(whole).assumingMemoryBound(to: git_odb_backend.self)
  }
}

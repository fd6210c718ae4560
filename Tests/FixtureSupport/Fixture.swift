import Foundation

/// Builds the repositories described in `fixtures/` into temporary folders, and runs commands.
public enum Fixture {
  /// The package root (this file is Tests/FixtureSupport/Fixture.swift).
  public static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  public static var fixtures: URL { root.appendingPathComponent("fixtures") }

  public struct Failure: Error, CustomStringConvertible {
    public let description: String
    public init(description: String) { self.description = description }
  }

  public struct Output: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
    public let data: Data
  }

  /// A new empty temporary folder.
  public static func temporaryFolder(_ name: String = "salvage") throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
  }

  /// Runs `fixtures/<name>.sh` in a new folder and returns the repository's path.
  public static func build(_ name: String) throws -> String {
    let script = try String(contentsOf: fixtures.appendingPathComponent("\(name).sh"), encoding: .utf8)
    return try build(script: script, name: name)
  }

  /// Builds a repository from script text (the helpers of `fixtures/lib.sh` are available).
  public static func build(script: String, name: String = "inline") throws -> String {
    let folder = try temporaryFolder(name)
    let home = try temporaryFolder("home")
    let full = "source '\(fixtures.appendingPathComponent("lib.sh").path)'\n" + script
    let out = try run("/bin/bash", ["-c", full], in: folder, environment: ["FIXTURE_HOME": home])
    guard out.status == 0 else { throw Failure(description: "fixture \(name) failed (\(out.status)): \(out.stderr)") }
    return folder
  }

  /// The synthetic secrets a fixture generated at build time, by name (`.git/fixture-secrets`, one
  /// `name<TAB>secret` per line), so no secret is ever written in the fixture's text.
  public static func writtenSecrets(_ repo: String) throws -> [String: String] {
    let text = try String(contentsOfFile: repo + "/.git/fixture-secrets", encoding: .utf8)
    var out: [String: String] = [:]
    for line in text.split(separator: "\n") {
      let parts = line.split(separator: "\t", maxSplits: 1)
      out[String(parts[0])] = String(parts[1])
    }
    return out
  }

  /// Runs git with a clean environment (no user or system config).
  @discardableResult
  public static func git(_ arguments: [String], in folder: String) throws -> String {
    let home = FileManager.default.temporaryDirectory.path
    let out = try run("/usr/bin/git", ["-c", "core.quotePath=false"] + arguments, in: folder,
                      environment: ["GIT_CONFIG_NOSYSTEM": "1", "HOME": home, "TZ": "UTC", "LC_ALL": "C"])
    guard out.status == 0 else { throw Failure(description: "git \(arguments.joined(separator: " ")) failed: \(out.stderr)") }
    return out.stdout
  }

  /// With a `timeout` (seconds), a process still running then is killed (its status is then 9, SIGKILL):
  /// a test of bounded work fails instead of hanging the suite.
  public static func run(_ executable: String, _ arguments: [String], in folder: String? = nil,
                         environment: [String: String] = [:], timeout: Double? = nil) throws -> Output {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let folder { process.currentDirectoryURL = URL(fileURLWithPath: folder) }
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let outPipe = Pipe(), errPipe = Pipe()
    process.standardOutput = outPipe
    process.standardError = errPipe
    process.standardInput = FileHandle.nullDevice
    try process.run()
    if let timeout {
      let pid = process.processIdentifier
      let watch = Thread {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
          if Date() >= deadline {
            kill(pid, SIGKILL)
            return
          }
          usleep(20_000)
        }
      }
      watch.start()
    }
    // Read both pipes while the process runs, so a large output cannot fill a pipe and block it.
    let errBox = DataBox()
    let errThread = Thread { errBox.data = errPipe.fileHandleForReading.readDataToEndOfFile() }
    errThread.start()
    let data = outPipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !errBox.done { usleep(1000) }
    return Output(status: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self),
                  stderr: String(decoding: errBox.data, as: UTF8.self), data: data)
  }

  /// The `salvage` executable built beside the tests (the test bundle and the executable share a folder),
  /// or the one `SALVAGE_BINARY` names (`scripts/measure-hostile.sh --release` times a release build).
  public static var salvage: String {
    if let binary = ProcessInfo.processInfo.environment["SALVAGE_BINARY"], !binary.isEmpty { return binary }
    #if os(Linux)
      let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    #else
      let exe = Bundle.main.executablePath ?? CommandLine.arguments[0]
    #endif
    var url = URL(fileURLWithPath: exe).deletingLastPathComponent()
    for _ in 0..<3 {
      let candidate = url.appendingPathComponent("salvage").path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      url = url.deletingLastPathComponent()
    }
    return root.appendingPathComponent(".build/debug/salvage").path
  }

  /// Runs the built `salvage` binary. "Now" is pinned to the fixture's last commit (`--now last-commit`)
  /// unless the arguments say otherwise (`--now`, or `unpinned: true` to see the default: the day of
  /// the scan), so that a test's figures do not depend on the day it runs.
  ///
  /// With `SALVAGE_TIME_LOG=FOLDER` in the tests' environment each run goes through `/usr/bin/time -v`,
  /// its figures written to `FOLDER/<test>.<n>.time` (`scripts/measure-hostile.sh` reads them).
  public static func salvage(_ arguments: [String], in folder: String? = nil, environment: [String: String] = [:],
                             unpinned: Bool = false, timeout: Double? = nil, test: String = #function) throws -> Output {
    var env = ["NO_COLOR": "1", "SALVAGE_CACHE_DIR": cacheFolder]
    for (k, v) in environment { env[k] = v }
    var arguments = arguments
    if !unpinned, let command = arguments.first, ["scan", "baseline"].contains(command), !arguments.contains("--now"),
       !arguments.contains(where: { $0.hasPrefix("--now=") }), environment["SOURCE_DATE_EPOCH"] == nil
    {
      arguments += ["--now", "last-commit"]
    }
    if let log = ProcessInfo.processInfo.environment["SALVAGE_TIME_LOG"], !log.isEmpty {
      let name = String(test.prefix { $0 != "(" })
      let file = "\(log)/\(name).\(UUID().uuidString.prefix(8)).time"
      return try run("/usr/bin/time", ["-v", "-o", file, salvage] + arguments, in: folder, environment: env, timeout: timeout)
    }
    return try run(salvage, arguments, in: folder, environment: env, timeout: timeout)
  }

  /// The tests' own history cache folder, so a test run never touches the user's cache.
  public static let cacheFolder: String = (try? temporaryFolder("cache")) ?? "/tmp/salvage-test-cache"
}

private final class DataBox: @unchecked Sendable {
  private let lock = NSLock()
  private var _data = Data()
  private var _done = false
  var data: Data {
    get { lock.withLock { _data } }
    set { lock.withLock { _data = newValue; _done = true } }
  }
  var done: Bool { lock.withLock { _done } }
}

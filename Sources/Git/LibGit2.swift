import CLibGit2

/// One-time libgit2 set-up, shared by every repository handle.
enum LibGit2 {
  /// Runs once, on first use, from whichever thread gets there first (Swift globals are lazy and atomic).
  static let bootstrap: Void = {
    git_libgit2_init()
    // Hash verification on every object read doubles the history pass; we only read, and git itself
    // verifies on fetch.
    _ = salvage_git_set_strict_hash_verification(0)
    // Scanned repositories are often extracted archives or mounts owned by someone else.
    _ = salvage_git_set_owner_validation(0)
    // No system, global or XDG config or attributes: the scan must not depend on the machine's
    // settings, and the lookups cost syscalls on every diffed file.
    for level in [GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_GLOBAL, GIT_CONFIG_LEVEL_PROGRAMDATA] {
      _ = salvage_git_set_search_path(Int32(level.rawValue), "")
    }
    // Resident memory is dominated by libgit2: its object cache and the pack windows it maps. Smaller
    // limits cost little time here (trees are re-read, blobs are read once) and keep a 100k-commit scan
    // well under 500 MB.
    _ = salvage_git_set_cache_max_size(48 << 20)
    _ = salvage_git_set_mwindow_size(32 << 20)
    _ = salvage_git_set_mwindow_mapped_limit(32 << 20)
  }()
}

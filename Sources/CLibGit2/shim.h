#include <git2.h>
#include <git2/sys/odb_backend.h>
#include <git2/sys/repository.h>

// An object database backend of our own (loose objects read with a bounded inflate): libgit2's
// backend struct followed by the Swift object that answers for it.
typedef struct salvage_odb_backend {
  git_odb_backend parent;
  void *owner;
} salvage_odb_backend;

// git_libgit2_opts is C-variadic, which Swift cannot call: one inline setter per option we use.
static inline int salvage_git_set_strict_hash_verification(int enabled) {
  return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, enabled);
}
static inline int salvage_git_set_owner_validation(int enabled) {
  return git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, enabled);
}
static inline int salvage_git_set_search_path(int level, const char *path) {
  return git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, path);
}
static inline int salvage_git_set_cache_max_size(long bytes) {
  return git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)bytes);
}
static inline int salvage_git_enable_caching(int enabled) {
  return git_libgit2_opts(GIT_OPT_ENABLE_CACHING, enabled);
}
static inline int salvage_git_set_mwindow_mapped_limit(long bytes) {
  return git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)bytes);
}
static inline int salvage_git_set_mwindow_size(long bytes) {
  return git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)bytes);
}

// glibc's malloc_trim (malloc.h is not in Swift's Glibc module): the history pass hands its freed heap
// back to the system when it ends. Darwin's and musl's allocators return free memory on their own.
#if defined(__GLIBC__)
#include <malloc.h>
static inline int salvage_malloc_trim(void) { return malloc_trim(0); }
#else
static inline int salvage_malloc_trim(void) { return 0; }
#endif

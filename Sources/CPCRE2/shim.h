#ifndef SALVAGE_CPCRE2_SHIM_H
#define SALVAGE_CPCRE2_SHIM_H

// PCRE2 names its API through width-selecting macros (pcre2_compile -> pcre2_compile_8), which Swift
// cannot import. These inline wrappers give Swift the 8-bit functions and the constants that are
// expressions rather than plain integer literals.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdint.h>
#include <stddef.h>

typedef pcre2_code_8 salvage_pcre2_code;
typedef pcre2_match_data_8 salvage_pcre2_match_data;
typedef pcre2_match_context_8 salvage_pcre2_match_context;
typedef pcre2_jit_stack_8 salvage_pcre2_jit_stack;

static const int salvage_pcre2_error_nomatch = PCRE2_ERROR_NOMATCH;
static const int salvage_pcre2_error_matchlimit = PCRE2_ERROR_MATCHLIMIT;
static const int salvage_pcre2_error_depthlimit = PCRE2_ERROR_DEPTHLIMIT;
static const int salvage_pcre2_error_heaplimit = PCRE2_ERROR_HEAPLIMIT;
static const int salvage_pcre2_error_jit_stacklimit = PCRE2_ERROR_JIT_STACKLIMIT;
static const uint32_t salvage_pcre2_jit_complete = PCRE2_JIT_COMPLETE;
static const uint32_t salvage_pcre2_info_capturecount = PCRE2_INFO_CAPTURECOUNT;

static inline pcre2_code_8 *salvage_pcre2_compile(const uint8_t *pattern, size_t length, uint32_t options,
                                                  int *errorcode, size_t *erroroffset) {
  return pcre2_compile_8((PCRE2_SPTR8)pattern, length, options, errorcode, erroroffset, NULL);
}

static inline int salvage_pcre2_jit_compile(pcre2_code_8 *code) {
  return pcre2_jit_compile_8(code, PCRE2_JIT_COMPLETE);
}

static inline void salvage_pcre2_code_free(pcre2_code_8 *code) { pcre2_code_free_8(code); }

static inline uint32_t salvage_pcre2_capture_count(const pcre2_code_8 *code) {
  uint32_t count = 0;
  pcre2_pattern_info_8(code, PCRE2_INFO_CAPTURECOUNT, &count);
  return count;
}

static inline int salvage_pcre2_error_message(int errorcode, uint8_t *buffer, size_t size) {
  return pcre2_get_error_message_8(errorcode, buffer, size);
}

static inline pcre2_match_data_8 *salvage_pcre2_match_data_create(uint32_t pairs) {
  return pcre2_match_data_create_8(pairs, NULL);
}

static inline void salvage_pcre2_match_data_free(pcre2_match_data_8 *data) { pcre2_match_data_free_8(data); }

static inline const size_t *salvage_pcre2_ovector(pcre2_match_data_8 *data) {
  return pcre2_get_ovector_pointer_8(data);
}

/// A match context that bounds the work of one match: the match limit applies to the interpreter and
/// to JIT code, the depth and heap limits to the interpreter (used when JIT is unavailable), and the
/// JIT stack bounds JIT recursion. Hitting any of them ends the match with an error code, not a hang.
static inline pcre2_match_context_8 *salvage_pcre2_match_context_create(uint32_t match_limit, uint32_t depth_limit,
                                                                        uint32_t heap_limit_kib,
                                                                        pcre2_jit_stack_8 *jit_stack) {
  pcre2_match_context_8 *context = pcre2_match_context_create_8(NULL);
  if (context == NULL) return NULL;
  pcre2_set_match_limit_8(context, match_limit);
  pcre2_set_depth_limit_8(context, depth_limit);
  pcre2_set_heap_limit_8(context, heap_limit_kib);
  if (jit_stack != NULL) pcre2_jit_stack_assign_8(context, NULL, jit_stack);
  return context;
}

static inline void salvage_pcre2_match_context_free(pcre2_match_context_8 *context) {
  pcre2_match_context_free_8(context);
}

static inline pcre2_jit_stack_8 *salvage_pcre2_jit_stack_create(size_t start, size_t max) {
  return pcre2_jit_stack_create_8(start, max, NULL);
}

static inline void salvage_pcre2_jit_stack_free(pcre2_jit_stack_8 *stack) { pcre2_jit_stack_free_8(stack); }

static inline int salvage_pcre2_match(const pcre2_code_8 *code, const uint8_t *subject, size_t length,
                                      size_t start, pcre2_match_data_8 *data, pcre2_match_context_8 *context) {
  return pcre2_match_8(code, (PCRE2_SPTR8)subject, length, start, 0, data, context);
}

#endif

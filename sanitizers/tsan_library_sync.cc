// tsan_library_sync.cc — tells ThreadSanitizer about the synchronisation
// inside Debian's uninstrumented Abseil and gRPC, so that TSan reports only
// races that are real.
//
// TSan sees only instrumented code. Our code guards its state with
// absl::Mutex and hands work between threads through gRPC completion queues,
// but Debian's libabsl_synchronization and libgrpc are not built with TSan:
// TSan cannot see those locks being taken nor a tag travelling from
// grpc_call_start_batch to CompletionQueue::Next, and so reports every access
// they order as a race (about 500 reports in gateway_tests alone, none real).
// Instrumented builds of those libraries would take far longer than CI
// allows, so this library, linked ahead of them into every binary of the TSan
// build (cmake/Sanitizers.cmake), interposes on their entry points and
// annotates them with TSan's own interface, as an instrumented Abseil does
// itself (absl/base/internal/tsan_mutex_interface.h):
//   * absl::Mutex lock and unlock (all variants), Await, CondVar::Wait*;
//   * absl::Notification: Notify() releases, WaitForNotification*() acquires;
//   * gRPC: starting a batch (or requesting a call) with a tag releases on
//     the tag; the completion queue returning the tag acquires it.
// Each wrapper calls the library's own function (dlsym RTLD_NEXT); nothing
// changes behaviour. The symbols are Debian's Abseil 20220623, whose inline
// namespace is "debian3"; if one is missing the process stops at once rather
// than run unannotated.
#include <dlfcn.h>
#include <grpc/grpc.h>
#include <sanitizer/tsan_interface.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

// absl::Duration and absl::Time as the ABI passes them (two integer
// registers): only forwarded, never looked at.
struct Duration {
  int64_t hi;
  uint32_t lo;
};
struct Time {
  Duration since_epoch;
};

template <typename Function>
Function Real(const char* symbol) {
  void* real = dlsym(RTLD_NEXT, symbol);
  if (real == nullptr) {
    std::fprintf(stderr, "tsan_library_sync: %s not found (not Debian's Abseil/gRPC?)\n", symbol);
    std::abort();
  }
  return reinterpret_cast<Function>(real);
}

// The real function, looked up once: REAL(symbol, type).
#define REAL(symbol, type) \
  static const auto real_fn = Real<type>(#symbol)

// Some of these functions call others of them (CondVar::WaitWithTimeout calls
// WaitWithDeadline, Notification::Notify locks its own Mutex): only the
// outermost call is annotated, or TSan would see one unlock twice.
thread_local int depth = 0;

// Runs `op` (the real function), annotated by `before` and `after` only when
// no wrapper is already running on this thread.
template <typename Before, typename Op, typename After>
auto Annotated(Before&& before, Op&& op, After&& after) {
  const bool outermost = depth++ == 0;
  if (outermost) before();
  auto result = op();
  if (outermost) after(result);
  --depth;
  return result;
}

constexpr unsigned kRead = __tsan_mutex_read_lock;

struct Nothing {};

// Annotates an operation that returns holding `mu` (blocking lock).
template <typename F>
auto Locking(void* mu, unsigned flags, F&& op) {
  return Annotated([&] { __tsan_mutex_pre_lock(mu, flags); }, op,
                   [&](const auto&) { __tsan_mutex_post_lock(mu, flags, 0); });
}

// Annotates an operation made while holding `mu` that releases it and takes
// it again before returning (Await, CondVar::Wait).
template <typename F>
auto Reacquiring(void* mu, F&& op) {
  return Annotated(
      [&] {
        __tsan_mutex_pre_unlock(mu, 0);
        __tsan_mutex_post_unlock(mu, 0);
        __tsan_mutex_pre_lock(mu, 0);
      },
      op, [&](const auto&) { __tsan_mutex_post_lock(mu, 0, 0); });
}

// Annotates a try-lock, which may fail.
template <typename F>
bool TryLocking(void* mu, unsigned try_flags, unsigned failed_flags, F&& op) {
  return Annotated([&] { __tsan_mutex_pre_lock(mu, try_flags); }, op,
                   [&](bool locked) { __tsan_mutex_post_lock(mu, locked ? try_flags : failed_flags, 0); });
}

// Annotates an unlock.
void Unlocking(void* mu, unsigned flags, void (*real)(void*)) {
  Annotated([&] { __tsan_mutex_pre_unlock(mu, flags); },
            [&] { real(mu); return Nothing{}; },
            [&](const Nothing&) { __tsan_mutex_post_unlock(mu, flags); });
}

}  // namespace

extern "C" {

// ---- absl::Mutex -----------------------------------------------------------

void _ZN4absl7debian35Mutex4LockEv(void* mu) {
  REAL(_ZN4absl7debian35Mutex4LockEv, void (*)(void*));
  Locking(mu, 0, [&] { real_fn(mu); return Nothing{}; });
}

void _ZN4absl7debian35Mutex10ReaderLockEv(void* mu) {
  REAL(_ZN4absl7debian35Mutex10ReaderLockEv, void (*)(void*));
  Locking(mu, kRead, [&] { real_fn(mu); return Nothing{}; });
}

bool _ZN4absl7debian35Mutex7TryLockEv(void* mu) {
  REAL(_ZN4absl7debian35Mutex7TryLockEv, bool (*)(void*));
  return TryLocking(mu, __tsan_mutex_try_lock, __tsan_mutex_try_lock_failed,
                    [&] { return real_fn(mu); });
}

bool _ZN4absl7debian35Mutex13ReaderTryLockEv(void* mu) {
  REAL(_ZN4absl7debian35Mutex13ReaderTryLockEv, bool (*)(void*));
  return TryLocking(mu, __tsan_mutex_try_read_lock, __tsan_mutex_try_read_lock_failed,
                    [&] { return real_fn(mu); });
}

void _ZN4absl7debian35Mutex6UnlockEv(void* mu) {
  REAL(_ZN4absl7debian35Mutex6UnlockEv, void (*)(void*));
  Unlocking(mu, 0, real_fn);
}

void _ZN4absl7debian35Mutex12ReaderUnlockEv(void* mu) {
  REAL(_ZN4absl7debian35Mutex12ReaderUnlockEv, void (*)(void*));
  Unlocking(mu, kRead, real_fn);
}

void _ZN4absl7debian35Mutex8LockWhenERKNS0_9ConditionE(void* mu, const void* cond) {
  REAL(_ZN4absl7debian35Mutex8LockWhenERKNS0_9ConditionE, void (*)(void*, const void*));
  Locking(mu, 0, [&] { real_fn(mu, cond); return Nothing{}; });
}

void _ZN4absl7debian35Mutex14ReaderLockWhenERKNS0_9ConditionE(void* mu, const void* cond) {
  REAL(_ZN4absl7debian35Mutex14ReaderLockWhenERKNS0_9ConditionE, void (*)(void*, const void*));
  Locking(mu, kRead, [&] { real_fn(mu, cond); return Nothing{}; });
}

bool _ZN4absl7debian35Mutex19LockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE(
    void* mu, const void* cond, Duration timeout) {
  REAL(_ZN4absl7debian35Mutex19LockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE,
       bool (*)(void*, const void*, Duration));
  return Locking(mu, 0, [&] { return real_fn(mu, cond, timeout); });
}

bool _ZN4absl7debian35Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE(
    void* mu, const void* cond, Time deadline) {
  REAL(_ZN4absl7debian35Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE,
       bool (*)(void*, const void*, Time));
  return Locking(mu, 0, [&] { return real_fn(mu, cond, deadline); });
}

bool _ZN4absl7debian35Mutex25ReaderLockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE(
    void* mu, const void* cond, Duration timeout) {
  REAL(_ZN4absl7debian35Mutex25ReaderLockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE,
       bool (*)(void*, const void*, Duration));
  return Locking(mu, kRead, [&] { return real_fn(mu, cond, timeout); });
}

bool _ZN4absl7debian35Mutex26ReaderLockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE(
    void* mu, const void* cond, Time deadline) {
  REAL(_ZN4absl7debian35Mutex26ReaderLockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE,
       bool (*)(void*, const void*, Time));
  return Locking(mu, kRead, [&] { return real_fn(mu, cond, deadline); });
}

void _ZN4absl7debian35Mutex5AwaitERKNS0_9ConditionE(void* mu, const void* cond) {
  REAL(_ZN4absl7debian35Mutex5AwaitERKNS0_9ConditionE, void (*)(void*, const void*));
  Reacquiring(mu, [&] { real_fn(mu, cond); return Nothing{}; });
}

bool _ZN4absl7debian35Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE(
    void* mu, const void* cond, Duration timeout) {
  REAL(_ZN4absl7debian35Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE,
       bool (*)(void*, const void*, Duration));
  return Reacquiring(mu, [&] { return real_fn(mu, cond, timeout); });
}

bool _ZN4absl7debian35Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE(
    void* mu, const void* cond, Time deadline) {
  REAL(_ZN4absl7debian35Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE,
       bool (*)(void*, const void*, Time));
  return Reacquiring(mu, [&] { return real_fn(mu, cond, deadline); });
}

// ---- absl::CondVar (waits release the mutex and take it again) -------------

void _ZN4absl7debian37CondVar4WaitEPNS0_5MutexE(void* cv, void* mu) {
  REAL(_ZN4absl7debian37CondVar4WaitEPNS0_5MutexE, void (*)(void*, void*));
  Reacquiring(mu, [&] { real_fn(cv, mu); return Nothing{}; });
}

bool _ZN4absl7debian37CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE(void* cv, void* mu,
                                                                           Duration timeout) {
  REAL(_ZN4absl7debian37CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE,
       bool (*)(void*, void*, Duration));
  return Reacquiring(mu, [&] { return real_fn(cv, mu, timeout); });
}

bool _ZN4absl7debian37CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE(void* cv, void* mu,
                                                                        Time deadline) {
  REAL(_ZN4absl7debian37CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE,
       bool (*)(void*, void*, Time));
  return Reacquiring(mu, [&] { return real_fn(cv, mu, deadline); });
}

// ---- absl::Notification (its fast path is an uninstrumented atomic) --------

void _ZN4absl7debian312Notification6NotifyEv(void* n) {
  REAL(_ZN4absl7debian312Notification6NotifyEv, void (*)(void*));
  Annotated([&] { __tsan_release(n); }, [&] { real_fn(n); return Nothing{}; },
            [](const Nothing&) {});
}

void _ZNK4absl7debian312Notification19WaitForNotificationEv(const void* n) {
  REAL(_ZNK4absl7debian312Notification19WaitForNotificationEv, void (*)(const void*));
  Annotated([] {}, [&] { real_fn(n); return Nothing{}; },
            [&](const Nothing&) { __tsan_acquire(const_cast<void*>(n)); });
}

bool _ZNK4absl7debian312Notification30WaitForNotificationWithTimeoutENS0_8DurationE(
    const void* n, Duration timeout) {
  REAL(_ZNK4absl7debian312Notification30WaitForNotificationWithTimeoutENS0_8DurationE,
       bool (*)(const void*, Duration));
  return Annotated([] {}, [&] { return real_fn(n, timeout); }, [&](bool notified) {
    if (notified) __tsan_acquire(const_cast<void*>(n));
  });
}

bool _ZNK4absl7debian312Notification31WaitForNotificationWithDeadlineENS0_4TimeE(
    const void* n, Time deadline) {
  REAL(_ZNK4absl7debian312Notification31WaitForNotificationWithDeadlineENS0_4TimeE,
       bool (*)(const void*, Time));
  return Annotated([] {}, [&] { return real_fn(n, deadline); }, [&](bool notified) {
    if (notified) __tsan_acquire(const_cast<void*>(n));
  });
}

// ---- gRPC completion queues: a tag carries happens-before --------------------

grpc_call_error grpc_call_start_batch(grpc_call* call, const grpc_op* ops, size_t nops, void* tag,
                                      void* reserved) {
  REAL(grpc_call_start_batch, decltype(&grpc_call_start_batch));
  __tsan_release(tag);
  return real_fn(call, ops, nops, tag, reserved);
}

grpc_call_error grpc_server_request_call(grpc_server* server, grpc_call** call,
                                         grpc_call_details* details,
                                         grpc_metadata_array* request_metadata,
                                         grpc_completion_queue* cq_bound_to_call,
                                         grpc_completion_queue* cq_for_notification,
                                         void* tag_new) {
  REAL(grpc_server_request_call, decltype(&grpc_server_request_call));
  __tsan_release(tag_new);
  return real_fn(server, call, details, request_metadata, cq_bound_to_call, cq_for_notification,
                 tag_new);
}

grpc_call_error grpc_server_request_registered_call(
    grpc_server* server, void* registered_method, grpc_call** call, gpr_timespec* deadline,
    grpc_metadata_array* request_metadata, grpc_byte_buffer** optional_payload,
    grpc_completion_queue* cq_bound_to_call, grpc_completion_queue* cq_for_notification,
    void* tag_new) {
  REAL(grpc_server_request_registered_call, decltype(&grpc_server_request_registered_call));
  __tsan_release(tag_new);
  return real_fn(server, registered_method, call, deadline, request_metadata, optional_payload,
                 cq_bound_to_call, cq_for_notification, tag_new);
}

grpc_event grpc_completion_queue_next(grpc_completion_queue* cq, gpr_timespec deadline,
                                      void* reserved) {
  REAL(grpc_completion_queue_next, decltype(&grpc_completion_queue_next));
  grpc_event event = real_fn(cq, deadline, reserved);
  if (event.type == GRPC_OP_COMPLETE) __tsan_acquire(event.tag);
  return event;
}

grpc_event grpc_completion_queue_pluck(grpc_completion_queue* cq, void* tag,
                                       gpr_timespec deadline, void* reserved) {
  REAL(grpc_completion_queue_pluck, decltype(&grpc_completion_queue_pluck));
  grpc_event event = real_fn(cq, tag, deadline, reserved);
  if (event.type == GRPC_OP_COMPLETE) __tsan_acquire(event.tag);
  return event;
}

}  // extern "C"

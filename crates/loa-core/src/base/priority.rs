//! Heavy work (transcription, the read-back check, a model import) runs
//! below the window's priority, so that on a two-core office PC the window
//! and its web view still get the CPU when they need it: WebKit declares a
//! page hung when its process waits too long, and a user sees a frozen app.

/// Lowers the calling thread's CPU priority for the rest of its life.
///
/// On Linux the nice value is per thread, and threads started from this
/// one (whisper.cpp's workers) inherit it; an unprivileged process cannot
/// raise it again, so call this only on a thread made for the work. On
/// Windows the thread runs below normal (threads it starts do not inherit
/// that; their number is kept to cores − 1 instead). Elsewhere, nothing.
/// Returns whether the priority was lowered.
pub fn lower_this_thread() -> bool {
    imp::lower()
}

/// The niceness heavy work runs at (0 normal, 19 lowest): low enough that
/// the window wins every contested slice, not so low that the work stalls
/// behind every other program.
pub const HEAVY_NICE: i32 = 10;

#[cfg(target_os = "linux")]
mod imp {
    pub fn lower() -> bool {
        // SAFETY: gettid, getpriority and setpriority take no pointers;
        // PRIO_PROCESS with a thread id addresses that one thread on Linux.
        unsafe {
            let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
            *libc::__errno_location() = 0;
            let now = libc::getpriority(libc::PRIO_PROCESS, tid);
            // Already as low (the whole app started with `nice`): keep it.
            if *libc::__errno_location() == 0 && now >= super::HEAVY_NICE {
                return true;
            }
            libc::setpriority(libc::PRIO_PROCESS, tid, super::HEAVY_NICE) == 0
        }
    }
}

#[cfg(windows)]
mod imp {
    use windows_sys::Win32::System::Threading::{
        GetCurrentThread, SetThreadPriority, THREAD_PRIORITY_BELOW_NORMAL,
    };

    pub fn lower() -> bool {
        // SAFETY: the pseudo-handle of the calling thread needs no closing.
        unsafe { SetThreadPriority(GetCurrentThread(), THREAD_PRIORITY_BELOW_NORMAL) != 0 }
    }
}

#[cfg(not(any(target_os = "linux", windows)))]
mod imp {
    pub fn lower() -> bool {
        false
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    fn nice_of_this_thread() -> i32 {
        // SAFETY: as above; errno is cleared first, as -1 is a valid answer.
        unsafe {
            *libc::__errno_location() = 0;
            let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
            libc::getpriority(libc::PRIO_PROCESS, tid)
        }
    }

    #[test]
    fn a_lowered_thread_and_the_threads_it_starts_run_below_the_rest() {
        let before = nice_of_this_thread();
        let (own, child) = std::thread::spawn(|| {
            assert!(lower_this_thread());
            let own = nice_of_this_thread();
            // As whisper.cpp's workers are started from the job's thread.
            let child = std::thread::spawn(nice_of_this_thread).join().unwrap();
            (own, child)
        })
        .join()
        .unwrap();
        assert_eq!(own, HEAVY_NICE.max(before));
        assert_eq!(child, own, "a worker started by the job inherits it");
        assert_eq!(
            nice_of_this_thread(),
            before,
            "the caller's thread is untouched"
        );
        let sibling = std::thread::spawn(nice_of_this_thread).join().unwrap();
        assert_eq!(sibling, before, "nor are threads started elsewhere");
    }
}

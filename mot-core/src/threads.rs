//! Work cut in two halves, the second on a thread of its own when the
//! caller's `threads` allows (never in WebAssembly, which has none): the
//! answers are those of one thread, in the same order.

use std::ops::Range;

/// `work` over `0..n` as two ranges, their results concatenated in order;
/// on this thread alone when `threads` is 1, `n` is below `at_least`, or no
/// thread can start. A panic on the other thread is raised here.
pub(crate) fn in_halves<T: Send>(
    n: usize,
    threads: usize,
    at_least: usize,
    work: impl Fn(Range<usize>) -> Vec<T> + Sync,
) -> Vec<T> {
    #[cfg(not(target_arch = "wasm32"))]
    if threads != 1 && n >= at_least.max(2) {
        let mid = n / 2;
        return std::thread::scope(|s| {
            let later = std::thread::Builder::new().spawn_scoped(s, || work(mid..n));
            let mut all = work(0..mid);
            match later.map(|t| t.join()) {
                Ok(Ok(rest)) => all.extend(rest),
                Ok(Err(panic)) => std::panic::resume_unwind(panic),
                Err(_) => all.extend(work(mid..n)), // no thread: here
            }
            all
        });
    }
    #[cfg(target_arch = "wasm32")]
    let _ = (threads, at_least);
    work(0..n)
}

/// `first` here and `second` on a thread of its own when `threads` allows
/// (never in WebAssembly); both here, in turn, otherwise or when no thread
/// can start. A panic on the other thread is raised here.
pub(crate) fn both(threads: usize, first: impl FnOnce() + Send, second: impl FnOnce() + Send) {
    #[cfg(not(target_arch = "wasm32"))]
    if threads != 1 {
        // Taken by whichever runs it: the thread, or this one after it.
        let later = std::sync::Mutex::new(Some(second));
        let run = || {
            if let Some(f) = later.lock().ok().and_then(|mut f| f.take()) {
                f();
            }
        };
        std::thread::scope(|s| {
            let thread = std::thread::Builder::new().spawn_scoped(s, run);
            first();
            if let Ok(t) = thread
                && let Err(panic) = t.join()
            {
                std::panic::resume_unwind(panic);
            }
            run();
        });
        return;
    }
    #[cfg(target_arch = "wasm32")]
    let _ = threads;
    first();
    second();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_give_one_threads_answer_in_order() {
        let square = |r: Range<usize>| r.map(|i| i * i).collect::<Vec<_>>();
        let one = in_halves(1001, 1, 2, square);
        assert_eq!(one, (0..1001).map(|i| i * i).collect::<Vec<_>>());
        assert_eq!(in_halves(1001, 0, 2, square), one);
        assert_eq!(in_halves(1, 0, 2, square), vec![0]);
        assert!(in_halves(0, 0, 0, square).is_empty());
    }

    #[test]
    fn both_run_once_on_any_threads() {
        for threads in [0, 1, 2] {
            let (mut a, mut b) = (0, 0);
            both(threads, || a += 1, || b += 2);
            assert_eq!((a, b), (1, 2));
        }
    }
}

//! Rendering (placeholder filled below).

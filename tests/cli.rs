//! End-to-end tests: the real `zpakey` binary, with a scrubbed environment, against an
//! in-process `zpa-sim` on 127.0.0.1. Cases live in `tests/cases/`.

mod cases;
mod support;

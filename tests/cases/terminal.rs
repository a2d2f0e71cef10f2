//! Behaviour at a real terminal (pseudo-terminal tests); see the cases below.

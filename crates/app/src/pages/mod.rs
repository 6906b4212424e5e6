//! One file per page.

pub mod home;
pub mod lesson;
pub mod not_found;

//! What both binaries of the site share: the messages between the page (`brainplay-app`) and
//! its simulation worker (`worker`).

pub mod wire;

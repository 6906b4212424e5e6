//! Reusable parts of pages.

pub mod bifurcation;
pub mod brainpy_code;
pub mod chart;
pub mod contents;
pub mod controls;
pub mod download;
pub mod equations;
pub mod exercise;
pub mod fi_curve;
pub mod figures;
pub mod heatmap;
pub mod hidpi;
pub mod input_editor;
pub mod job_status;
pub mod markdown;
pub mod network;
pub mod param_control;
pub mod phase_line;
pub mod phase_plane;
pub mod plot;
pub mod raster;
pub mod simulator;
pub mod summary;
pub mod synapse_plot;
pub mod training;

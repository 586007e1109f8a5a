//! Pure logic of amfit: plain types and functions, no I/O, no web, no database.

pub mod company;
pub mod demo;
pub mod input;
pub mod profile;

/// A value of a closed set that the UI shows with a label from its message catalogues.
pub trait Labelled {
    /// The message id of this value's label.
    fn label_key(&self) -> String;
}

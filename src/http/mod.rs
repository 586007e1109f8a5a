//! What the HTML pages and the JSON API share of HTTP: reading request bodies and ids from
//! paths. Neither adapter imports the other; both import this.

pub mod body;
pub mod download;
pub mod path;

pub use body::{ApiJson, HtmlForm};
pub use path::ResourceId;

//! Pure logic of amfit: plain types and functions, no I/O, no web, no database.

#[macro_use]
mod choice {
    /// Declares a closed set stored and sent as its `snake_case` name, with the label key
    /// the web layer translates (`<prefix>-<name>`).
    macro_rules! named_choice {
    ($(#[$meta:meta])* $name:ident, $prefix:literal { $($(#[$vmeta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
            utoipa::ToSchema, strum::EnumString, strum::IntoStaticStr, strum::VariantNames, strum::VariantArray,
        )]
        #[serde(rename_all = "snake_case")]
        #[strum(serialize_all = "snake_case")]
        pub enum $name {
            #[default]
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            pub fn as_str(self) -> &'static str {
                self.into()
            }
        }

        impl $crate::domain::Labelled for $name {
            fn label_key(&self) -> String {
                format!("{}-{}", $prefix, self.as_str())
            }
        }
    };
}
}

pub mod ad;
pub mod anchor_words;
pub mod applying;
pub mod audit;
pub mod calendar;
pub mod calibration;
pub mod candidate;
pub mod comment;
pub mod company;
pub mod compare;
pub mod conditions;
pub mod decision;
pub mod demo;
pub mod document;
pub mod duplicate;
pub mod import;
pub mod input;
pub mod interview;
pub mod job_page;
pub mod kit;
pub mod letter;
pub mod mail;
pub mod moment;
pub mod paging;
pub mod profile;
pub mod publication;
pub mod report;
pub mod retention;
pub mod rubric;
pub mod scorecard;
pub mod scoring;
pub mod search;
pub mod user;
pub mod validity;
pub mod webhook;
pub mod wording;
pub mod written;

/// A value of a closed set that the UI shows with a label from its message catalogues.
pub trait Labelled {
    /// The message id of this value's label.
    fn label_key(&self) -> String;
}

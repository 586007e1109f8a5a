//! HTML forms: the field model the templates render, so that every form shows its values as
//! typed and each error beside its field. Posted forms are read by [`crate::http::HtmlForm`].

use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;
use serde_json::Value;

use super::{Page, render_with_status};
use crate::domain::Labelled;
use crate::domain::input::FieldErrors;
use crate::error::AppResult;
use crate::i18n::I18n;

/// One input of a form, ready to render.
pub struct Field {
    pub name: &'static str,
    pub label: String,
    pub hint: Option<String>,
    pub error: Option<String>,
    pub required: bool,
    pub control: Control,
}

pub enum Control {
    Text {
        value: String,
        max: u64,
    },
    Email {
        value: String,
    },
    Tel {
        value: String,
    },
    TextArea {
        value: String,
        max: u64,
    },
    Number {
        value: String,
        min: i64,
        max: i64,
    },
    Date {
        value: String,
    },
    /// An ISO week, "2027-W03".
    Week {
        value: String,
    },
    /// Never shown again once typed.
    Password {
        autocomplete: &'static str,
    },
    Select {
        options: Vec<Choice>,
    },
    Checkboxes {
        options: Vec<Choice>,
    },
    /// One yes-or-no choice; an unticked box sends nothing, which reads as no.
    Checkbox {
        checked: bool,
    },
    /// A file to upload, never shown again: a browser cannot be given a file back.
    File {
        accept: &'static str,
        multiple: bool,
    },
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// A titled group of fields.
pub struct Fieldset {
    pub legend: String,
    pub fields: Vec<Field>,
}

/// Builds fields with labels (`field-<name>`), optional hints (`field-<name>-hint`) and the
/// translated error of each.
pub struct FieldBuilder<'a> {
    pub i18n: I18n,
    pub errors: &'a FieldErrors,
}

impl FieldBuilder<'_> {
    pub fn field(&self, name: &'static str, required: bool, control: Control) -> Field {
        let hint_key = format!("field-{name}-hint");
        Field {
            name,
            label: self.i18n.t(&format!("field-{name}")),
            hint: self.i18n.plain(&hint_key),
            error: self.errors.get(name).map(|p| self.i18n.problem(p)),
            required,
            control,
        }
    }

    /// A select over a closed set; `current` is what was sent or stored.
    pub fn select<E>(&self, name: &'static str, required: bool, current: &Option<String>) -> Field
    where
        E: strum::VariantArray + Copy + Into<&'static str> + Labelled,
    {
        let options = self.choices::<E>(|value| current.as_deref().map(str::trim) == Some(value));
        self.field(name, required, Control::Select { options })
    }

    /// A select over options that are not a closed set (such as users); `current` is what was
    /// sent or stored.
    pub fn select_among(
        &self,
        name: &'static str,
        required: bool,
        options: Vec<(String, String)>,
        current: &Option<String>,
    ) -> Field {
        let current = current.as_deref().map(str::trim);
        let options = options
            .into_iter()
            .map(|(value, label)| Choice { selected: current == Some(value.as_str()), value, label })
            .collect();
        self.field(name, required, Control::Select { options })
    }

    /// A yes-or-no field; `current` is what was sent or stored (`true`, `on` or nothing).
    pub fn checkbox(&self, name: &'static str, current: &Option<String>) -> Field {
        let checked = matches!(current.as_deref().map(str::trim), Some("true" | "on"));
        self.field(name, false, Control::Checkbox { checked })
    }

    /// Checkboxes over options that are not a closed set (such as a rubric's competencies).
    pub fn checkboxes_among(&self, name: &'static str, options: Vec<(String, String)>, current: &[String]) -> Field {
        let options = options
            .into_iter()
            .map(|(value, label)| Choice { selected: current.iter().any(|c| c.trim() == value), value, label })
            .collect();
        self.field(name, true, Control::Checkboxes { options })
    }

    pub fn checkboxes<E>(&self, name: &'static str, current: &[String]) -> Field
    where
        E: strum::VariantArray + Copy + Into<&'static str> + Labelled,
    {
        let options = self.choices::<E>(|value| current.iter().any(|c| c.trim() == value));
        self.field(name, false, Control::Checkboxes { options })
    }

    fn choices<E>(&self, selected: impl Fn(&str) -> bool) -> Vec<Choice>
    where
        E: strum::VariantArray + Copy + Into<&'static str> + Labelled,
    {
        E::VARIANTS
            .iter()
            .map(|&variant| {
                let value: &'static str = variant.into();
                Choice { value: value.to_owned(), label: self.i18n.t(&variant.label_key()), selected: selected(value) }
            })
            .collect()
    }
}

/// A refused form's messages by field name, for a form that is written out in its template
/// (one of several alike on a page, whose ids [`Field`] would repeat).
#[derive(Default)]
pub struct FieldMessages(Vec<(String, String)>);

impl FieldMessages {
    pub fn new(errors: &FieldErrors, i18n: I18n) -> Self {
        FieldMessages(errors.iter().map(|e| (e.field.clone(), i18n.problem(&e.problem))).collect())
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(name, _)| name == field).map(|(_, message)| message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A create or edit form, shared by every resource.
#[derive(askama::Template)]
#[template(path = "shared/form.html")]
pub struct FormPage {
    pub page: Page,
    pub heading: String,
    pub action: String,
    /// Where "cancel" leads; `None` where there is nowhere to go back to (signing in).
    pub cancel_href: Option<String>,
    pub submit_label: String,
    /// A sentence above the form.
    pub intro: Option<String>,
    /// The version an edit was made from; `None` when creating.
    pub version: Option<i64>,
    pub fieldsets: Vec<Fieldset>,
    /// (field name, label, message) of every rejected field, linked from the top of the form.
    pub error_summary: Vec<(&'static str, String, String)>,
    /// Someone else saved first: the form shows their values, and what this user had typed.
    pub conflict: bool,
    pub your_values: Vec<(String, String)>,
    /// (address, text) of a link below the form to another way on ("Forgot your password?").
    pub other_way: Option<(String, String)>,
}

/// (name, label, message) of each field with an error, for the list above a form.
pub fn error_summary<'a>(fields: impl IntoIterator<Item = &'a Field>) -> Vec<(&'static str, String, String)> {
    fields.into_iter().filter_map(|f| Some((f.name, f.label.clone(), f.error.clone()?))).collect()
}

impl FormPage {
    /// Fills the error summary from the fields' own errors.
    pub fn new(page: Page, heading: String, action: String, cancel_href: String, fieldsets: Vec<Fieldset>) -> Self {
        let error_summary = error_summary(fieldsets.iter().flat_map(|set| &set.fields));
        let submit_label = page.i18n.t("action-save");
        Self {
            page,
            heading,
            action,
            cancel_href: Some(cancel_href),
            submit_label,
            intro: None,
            version: None,
            fieldsets,
            error_summary,
            conflict: false,
            your_values: Vec::new(),
            other_way: None,
        }
    }
}

impl FormPage {
    /// Someone else saved first: this form, built from their values, is answered with 409
    /// and lists what this user had typed where it differs.
    pub fn conflict<T: Serialize>(mut self, yours: &T, theirs: &T) -> AppResult<Response> {
        self.conflict = true;
        self.your_values = changed_values(yours, theirs, self.page.i18n);
        render_with_status(StatusCode::CONFLICT, &self)
    }
}

/// The question before a deletion, with what else it removes.
#[derive(askama::Template)]
#[template(path = "shared/confirm_delete.html")]
pub struct ConfirmDeletePage {
    pub page: Page,
    pub heading: String,
    pub question: String,
    pub consequence: Option<String>,
    pub action: String,
    pub cancel_href: String,
}

/// The fields whose submitted value differs from the stored one, as (label, what was
/// submitted), so that a user who lost a race sees what they had typed.
fn changed_values<T: Serialize>(yours: &T, theirs: &T, i18n: I18n) -> Vec<(String, String)> {
    let (Ok(Value::Object(yours)), Ok(Value::Object(theirs))) =
        (serde_json::to_value(yours), serde_json::to_value(theirs))
    else {
        return Vec::new();
    };
    yours
        .iter()
        .filter(|(name, _)| name.as_str() != "version")
        .filter_map(|(name, value)| {
            let (mine, stored) = (as_text(value), theirs.get(name).map(as_text).unwrap_or_default());
            (mine != stored).then(|| (i18n.t(&format!("field-{name}")), mine))
        })
        .collect()
}

fn as_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.trim().to_owned(),
        Value::Array(items) => items.iter().map(as_text).filter(|t| !t.is_empty()).collect::<Vec<_>>().join(", "),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The text of an optional input value, for a form's `value` attribute.
pub fn shown(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::company::SizeBand;
    use crate::domain::profile::{
        AccountModel, AdLanguage, ClientSize, Duty, GrowthFocus, MeetingCadence, PresentationFrequency, RemoteOption,
        SalaryPeriod,
    };
    use crate::i18n::Lang;
    use strum::VariantArray;

    fn all_labels<E: VariantArray + Labelled>() -> Vec<String> {
        E::VARIANTS.iter().map(|v| v.label_key()).collect()
    }

    #[test]
    fn every_choice_has_a_label_in_both_languages() {
        let keys = [
            all_labels::<AdLanguage>(),
            all_labels::<ClientSize>(),
            all_labels::<Duty>(),
            all_labels::<GrowthFocus>(),
            all_labels::<MeetingCadence>(),
            all_labels::<PresentationFrequency>(),
            all_labels::<RemoteOption>(),
            all_labels::<SalaryPeriod>(),
            all_labels::<crate::domain::candidate::Stage>(),
            all_labels::<crate::domain::user::Role>(),
            all_labels::<crate::domain::scorecard::Recommendation>(),
            all_labels::<AccountModel>(),
            all_labels::<AccountModel>().iter().map(|key| format!("{key}-explanation")).collect(),
            all_labels::<SizeBand>(),
            all_labels::<SizeBand>().iter().map(|key| format!("{key}-range")).collect(),
        ]
        .concat();
        for lang in Lang::ALL {
            let i18n = I18n::new(lang);
            let missing: Vec<_> = keys.iter().filter(|k| !i18n.has(k)).collect();
            assert!(missing.is_empty(), "{lang:?} lacks {missing:?}");
        }
    }
}

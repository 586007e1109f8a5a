//! The printable interview kit of a profile: the questions for its heaviest competencies, the
//! anchored scale and room for notes, in the profile's language. The print stylesheet turns
//! the page into a clean document (the browser's "save as PDF").

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use super::{Page, render};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::auth::routes::{Access, Routes};
use crate::domain::rubric::{QuestionKind, interview_kit};
use crate::domain::user::Permission;
use crate::error::AppResult;
use crate::http::ResourceId;
use crate::i18n::{I18n, Lang};
use crate::service::profiles;

pub fn routes() -> Routes {
    Routes::default().get("/profiles/{id}/kit", Access::Requires(Permission::ViewProfiles), kit)
}

struct KitQuestion {
    kind: String,
    text: String,
    strong_answer: String,
}

struct KitCompetency {
    name: String,
    definition: String,
    weight: i64,
    must_have: Option<String>,
    questions: Vec<KitQuestion>,
    anchors: Vec<(u8, String)>,
}

#[derive(Template)]
#[template(path = "profiles/kit.html")]
struct KitPage {
    page: Page,
    /// The profile's language, for the kit's own words.
    kit: I18n,
    profile_id: i64,
    title: String,
    company: String,
    competencies: Vec<KitCompetency>,
}

async fn kit(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    page: Page,
    ResourceId(id): ResourceId,
) -> AppResult<Html<String>> {
    let weighed = profiles::weighed(&state, &user, id).await?;
    let language = weighed.profile.details.ad_language;
    let kit = I18n::new(Lang::of_content(language));
    let weights = weighed.weights(&state.rubric);
    let competencies = interview_kit(&weights)
        .map(|w| KitCompetency {
            name: w.competency.name.get(language).to_owned(),
            definition: w.competency.definition.get(language).to_owned(),
            weight: w.weight,
            must_have: w.minimum.map(|m| kit.t1("kit-must-have", "minimum", &m.to_string())),
            questions: w
                .competency
                .questions
                .iter()
                .map(|q| KitQuestion {
                    kind: kit.t(match q.kind {
                        QuestionKind::Behavioural => "guide-behavioural",
                        QuestionKind::Situational => "guide-situational",
                    }),
                    text: q.text(language).to_owned(),
                    strong_answer: q.strong_answer.get(language).to_owned(),
                })
                .collect(),
            anchors: (1u8..).zip(w.competency.anchors.iter().map(|a| a.get(language).to_owned())).collect(),
        })
        .collect();
    render(&KitPage {
        kit,
        profile_id: id,
        title: weighed.profile.details.title,
        company: weighed.company.details.name,
        competencies,
        page,
    })
}

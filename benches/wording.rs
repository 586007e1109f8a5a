//! Writing a job ad from a role profile and running the whole wording check on it (gender
//! coding, discrimination flags, LIX, structure), and the check alone on a hand-written ad of
//! about 400 words. Target: ≤ 50 µs for generation and check on the project's 2-core machine.
//! Run with `cargo bench --bench wording`.

use amfit::rubrics::RubricSource;
use std::hint::black_box;

use amfit::domain::ad::{AdSource, Tone};
use amfit::domain::demo::demo_companies;
use amfit::domain::profile::AdLanguage;
use criterion::{Criterion, criterion_group, criterion_main};

/// About 400 words, as a real Danish account-manager ad reads.
const AD: &str = "Key Account Manager til vores kunder i Jylland

Nordlys Digital ApS udvikler software til butikker og restauranter. Vi er 45 kolleger i Aarhus, \
og vores kunder spænder fra den lokale café til kæder med tyve butikker. Nu søger vi en key account \
manager, der vil tage ansvar for vores største kunder og udvikle samarbejdet med dem.

Din rolle
Du får ansvaret for otte til ti nøglekunder. Du holder månedlige møder med dem, følger op på deres \
behov og sørger for, at leverancerne kommer til tiden. Du arbejder tæt sammen med vores supportteam \
og med udviklerne, når en kunde har brug for noget nyt. Du præsenterer kvartalsvise resultater for \
kundernes ledelse og forhandler fornyelser af aftalerne.

Dine opgaver
- Du er den faste kontakt for dine kunder og kender deres forretning.
- Du planlægger og gennemfører kundemøder, både hos kunden og online.
- Du følger op på aftaler og sikrer, at det, vi lover, bliver leveret.
- Du finder muligheder for mersalg og fornyer aftalerne i god tid.
- Du samarbejder med support og udvikling om løsninger til kunderne.

Hvad vi søger
Vi lægger vægt på, at du kommunikerer klart i skrift og tale, og at du holder, hvad du lover. \
Du har erfaring med kundeservice og trives med at løse problemer for kunder, også når det haster. \
Det er en fordel, hvis du har arbejdet med software eller med detailhandel, men det er ikke et krav. \
Du er struktureret, prioriterer dine opgaver og bevarer overblikket, når der er travlt.

Vi tilbyder
Et job med stor frihed og ansvar i en virksomhed i vækst. Du får en grundig introduktion, en fast \
kollega at sparre med og mulighed for at udvikle dig fagligt. Vi har fleksible arbejdstider, frokostordning \
og en aktiv personaleforening. Løn efter kvalifikationer, 38.000 til 44.000 kroner om måneden plus pension.

Praktisk
Arbejdssted: Aarhus C, med mulighed for at arbejde hjemmefra to dage om ugen.
Arbejdstid: 37 timer om ugen.
Tiltrædelse: 1. marts eller efter aftale.
Ansøgningsfrist: 15. januar. Vi holder samtaler løbende, så send gerne din ansøgning hurtigst muligt.
Har du spørgsmål til stillingen, er du velkommen til at kontakte salgschef Mette Holm på 86 12 34 56.

Vi glæder os til at høre fra dig. Alle interesserede opfordres til at søge uanset alder, køn, \
religion, handicap eller etnisk baggrund.";

fn wording(c: &mut Criterion) {
    let rules = amfit::rubrics::load_wording(&RubricSource::BuiltIn).unwrap();
    let words = AD.split_whitespace().count();
    c.bench_function(&format!("wording check of a {words}-word Danish ad"), |b| {
        b.iter(|| rules.check(black_box(AD), AdLanguage::Da))
    });

    let rubric = amfit::rubrics::load(&RubricSource::BuiltIn).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let (company, profile) = demo_companies(today).remove(0);
    let weights = rubric.weigh(&company, &profile, &[]);
    let source = AdSource { company: &company, profile: &profile, language: AdLanguage::Da, tone: Tone::Informal };
    let words = source.generate(&weights).markdown.split_whitespace().count();
    c.bench_function(&format!("writing a {words}-word Danish ad from its profile"), |b| {
        b.iter(|| black_box(&source).generate(&weights))
    });
    c.bench_function(&format!("writing a {words}-word Danish ad from its profile and checking it"), |b| {
        b.iter(|| {
            let ad = black_box(&source).generate(&weights);
            rules.check(&ad.markdown, AdLanguage::Da)
        })
    });
}

criterion_group!(benches, wording);
criterion_main!(benches);

//! A demo applicant's CV as a one-page PDF, in the language of the ad they answered.

use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, Stream, dictionary};

use super::history::DemoApplicant;
use crate::domain::profile::AdLanguage;

/// Where the demo's applicants worked: now, and before that.
const EMPLOYERS_DA: [(&str, &str); 4] = [
    ("Kontorhuset A/S", "Bredbånd Nord"),
    ("Jysk Revision", "Føtex Erhverv"),
    ("Danske Lønsystemer", "Telia Erhverv"),
    ("Nordisk Kontorforsyning", "Energi Fyn"),
];
const EMPLOYERS_EN: [(&str, &str); 4] = [
    ("Northwind Software", "Contoso Cloud"),
    ("Fabrikam Payroll", "Litware Telecom"),
    ("Tailspin Logistics", "Adventure Works"),
    ("Wide World Importers", "Proseware"),
];

/// The lines of applicant number `index`'s CV, written in `this_year`.
pub fn cv_lines(applicant: &DemoApplicant, index: usize, this_year: i32) -> Vec<String> {
    let years = i32::from(applicant.years);
    let clients = 8 + years * 3;
    let kept = 85 + (years % 5) * 3;
    // The present job for up to four years, the one before it for the rest, at least a year.
    let since = this_year - years.min(4);
    let before = since - (years - 4).max(1);
    let mut lines = vec![applicant.name.clone(), format!("{} · {}", applicant.email, applicant.phone), String::new()];
    match applicant.language {
        AdLanguage::Da => {
            let (now, then) = EMPLOYERS_DA[index % EMPLOYERS_DA.len()];
            lines.extend([
                "Erfaring".to_owned(),
                format!("{since}–nu: Account manager, {now}. Ansvarlig for {clients} erhvervskunder."),
                format!("Fastholdt {kept} % af kunderne og aftalte mersalg med hver fjerde."),
                format!("{before}–{since}: Kundeservicemedarbejder, {then}. Fulgte kundernes sager, til de var løst."),
                String::new(),
                "Uddannelse".to_owned(),
                "Finansøkonom, Erhvervsakademi Aarhus.".to_owned(),
                String::new(),
                "Sprog: dansk (modersmål), engelsk (flydende). Kørekort B.".to_owned(),
            ]);
        }
        AdLanguage::En => {
            let (now, then) = EMPLOYERS_EN[index % EMPLOYERS_EN.len()];
            lines.extend([
                "Experience".to_owned(),
                format!("{since}–now: Account Manager, {now}. Responsible for {clients} business clients."),
                format!("Kept {kept}% of clients and agreed an upsell with one in four."),
                format!("{before}–{since}: Customer support specialist, {then}. Owned cases from first call to fix."),
                String::new(),
                "Education".to_owned(),
                "BSc in Business Administration, Aarhus University.".to_owned(),
                String::new(),
                "Languages: English (fluent), Danish (good). Driving licence.".to_owned(),
            ]);
        }
    }
    lines
}

/// The CV as a PDF of one A4 page in Helvetica, its text in the Windows-1252 encoding the
/// font's standard encoding names, so that readers (amfit's own search included) get it back.
pub fn cv_pdf(lines: &[String]) -> Result<Vec<u8>, lopdf::Error> {
    let mut document = Document::with_version("1.5");
    let pages_id = document.new_object_id();
    let font_id = document.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = document.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let mut operations = vec![Operation::new("BT", vec![]), Operation::new("TL", vec![16.into()])];
    operations.push(Operation::new("Td", vec![60.into(), 780.into()]));
    for (index, line) in lines.iter().enumerate() {
        let size = if index == 0 { 18 } else { 11 };
        operations.push(Operation::new("Tf", vec!["F1".into(), size.into()]));
        let (encoded, _, _) = encoding_rs::WINDOWS_1252.encode(line);
        operations.push(Operation::new("Tj", vec![Object::string_literal(encoded.into_owned())]));
        operations.push(Operation::new("T*", vec![]));
    }
    operations.push(Operation::new("ET", vec![]));
    let content_id = document.add_object(Stream::new(dictionary! {}, Content { operations }.encode()?));
    let page_id = document.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content_id,
    });
    document.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![page_id.into()],
            "Count" => 1,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = document.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    document.trailer.set("Root", catalog_id);
    document.compress();
    let mut bytes = Vec::new();
    document.save_to(&mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::demo::history::applicants;
    use crate::domain::document::{DocumentFormat, RecognisedDocument, document_text};

    #[test]
    fn the_cv_is_a_pdf_whose_text_reads_back_with_danish_letters() {
        let applicant =
            applicants(&[AdLanguage::Da]).into_iter().find(|a| a.name.contains('ø')).expect("a name with ø");
        let lines = cv_lines(&applicant, 3, 2026);
        let pdf = cv_pdf(&lines).unwrap();
        let recognised =
            RecognisedDocument::recognise(crate::domain::document::DocumentKind::Cv, "cv.pdf", pdf.clone());
        assert_eq!(recognised.unwrap().format, DocumentFormat::Pdf);
        let text = document_text(DocumentFormat::Pdf, &pdf);
        let read = text.as_text().expect("the text is read");
        assert!(read.contains(&applicant.name), "{read}");
        assert!(read.contains("Uddannelse") && read.contains("Kørekort"), "{read}");
        assert!(read.contains("Nordisk Kontorforsyning"), "{read}");
    }

    #[test]
    fn a_cv_s_jobs_follow_each_other_over_the_years() {
        for (index, applicant) in applicants(&[AdLanguage::En, AdLanguage::Da]).iter().enumerate() {
            let lines = cv_lines(applicant, index, 2026);
            let years = |line: &str| -> (i32, i32) {
                let (from, to) = line.split_once(':').unwrap().0.split_once('–').unwrap();
                (from.parse().unwrap(), to.parse().unwrap_or(2026))
            };
            let (current, earlier) = (years(&lines[4]), years(&lines[6]));
            assert!(earlier.0 < earlier.1 && earlier.1 == current.0 && current.0 < 2026, "{lines:?}");
        }
    }
}

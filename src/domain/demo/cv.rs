//! A demo applicant's CV as a one-page PDF, in the language of the ad they answered.

use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, Stream, dictionary};

use super::history::DemoApplicant;
use crate::domain::profile::AdLanguage;

/// The lines of the applicant's CV.
pub fn cv_lines(applicant: &DemoApplicant) -> Vec<String> {
    let years = applicant.years;
    let clients = 8 + u32::from(years) * 3;
    let kept = 85 + u32::from(years % 5) * 3;
    let (since, before) = (2026 - i32::from(years.min(4)), 2026 - i32::from(years));
    match applicant.language {
        AdLanguage::Da => vec![
            applicant.name.clone(),
            format!("{} · {}", applicant.email, applicant.phone),
            String::new(),
            "Erfaring".to_owned(),
            format!("{since}–nu: Account manager, Kontorhuset A/S. Ansvarlig for {clients} erhvervskunder."),
            format!("Fastholdt {kept} % af kunderne og aftalte mersalg med hver fjerde."),
            format!("{before}–{since}: Kundeservicemedarbejder, Bredbånd Nord. Løste sager fra telefon til løsning."),
            String::new(),
            "Uddannelse".to_owned(),
            "Finansøkonom, Erhvervsakademi Aarhus.".to_owned(),
            String::new(),
            "Sprog: dansk (modersmål), engelsk (flydende). Kørekort B.".to_owned(),
        ],
        AdLanguage::En => vec![
            applicant.name.clone(),
            format!("{} · {}", applicant.email, applicant.phone),
            String::new(),
            "Experience".to_owned(),
            format!("{since}–now: Account Manager, Northwind Software. Responsible for {clients} business clients."),
            format!("Kept {kept}% of clients and agreed an upsell with one in four."),
            format!(
                "{before}–{since}: Customer support specialist, Contoso Cloud. Owned cases from first call to fix."
            ),
            String::new(),
            "Education".to_owned(),
            "BSc in Business Administration, Aarhus University.".to_owned(),
            String::new(),
            "Languages: English (fluent), Danish (good). Driving licence.".to_owned(),
        ],
    }
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
        let lines = cv_lines(&applicant);
        let pdf = cv_pdf(&lines).unwrap();
        let recognised =
            RecognisedDocument::recognise(crate::domain::document::DocumentKind::Cv, "cv.pdf", pdf.clone());
        assert_eq!(recognised.unwrap().format, DocumentFormat::Pdf);
        let text = document_text(DocumentFormat::Pdf, &pdf);
        let read = text.as_text().expect("the text is read");
        assert!(read.contains(&applicant.name), "{read}");
        assert!(read.contains("Uddannelse") && read.contains("Kørekort"), "{read}");
    }
}

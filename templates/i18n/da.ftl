# amfit brugerflade, dansk.
# Hver besked her findes også i en.ftl; `cargo test` kontrollerer det.

## Layout
skip-to-content = Gå til indhold
nav-label = Hovedmenu
nav-companies = Virksomheder
nav-profiles = Rolleprofiler
footer-tagline = amfit: ansæt account managers til jobbet, som det faktisk er.
record-updated = Sidst ændret

## Handlinger og beskeder
action-save = Gem
action-cancel = Annuller
action-edit = Rediger
action-delete = Slet
action-delete-confirm = Ja, slet
notice-created = Gemt.
notice-updated = Dine ændringer er gemt.
notice-deleted = Slettet.

## Formularer
form-optional = valgfri
form-choose = Vælg …
form-has-errors = Ret venligst følgende
conflict-heading = En anden har ændret dette, mens du redigerede
conflict-explanation = Dine ændringer blev ikke gemt. Formularen viser nu den aktuelle version; foretag dine ændringer igen oven på den.
conflict-your-values = Det du havde indtastet, hvor det afviger:

## Fejlsider og API-fejl
error-request-id = Hvis du melder fejlen, så oplys forespørgsels-id'et
error-home = Gå til forsiden
error-not-found = Ikke fundet
error-not-found-detail = Der er intet på denne adresse. Det kan være slettet.
error-invalid = Nogle værdier er ikke gyldige
error-invalid-detail = Et eller flere felter blev afvist; hvert er nævnt med begrundelsen.
error-conflict = Ændret af en anden
error-conflict-detail = Posten er ændret siden den version, din ændring byggede på. Intet blev skrevet; hent den igen og gentag din ændring.
error-bad-request = Forespørgslen kunne ikke læses
error-bad-request-detail = Forespørgslen var ikke i en form, som denne adresse tager imod.
error-too-large = Forespørgslen er for stor
error-too-large-detail = En forespørgsel må højst fylde 64 KiB.
error-method = Ikke tilladt her
error-method-detail = Denne adresse tager ikke imod den slags forespørgsel.
error-internal = Noget gik galt hos os
error-internal-detail = Fejlen er logget. Prøv igen om lidt.

## Hvorfor et felt blev afvist
problem-required = Feltet skal udfyldes.
problem-too-long = Brug højst { $max } tegn.
problem-too-many-items = Angiv højst { $max } punkter.
problem-not-a-whole-number = Angiv et helt tal.
problem-out-of-range = Angiv et tal fra { $min } til { $max }.
problem-unknown-choice = Vælg en af de viste muligheder ({ $allowed }).
problem-invalid-email = Angiv en e-mailadresse som navn@eksempel.dk.
problem-invalid-date = Angiv en dato som ÅÅÅÅ-MM-DD.
problem-date-in-past = Datoen er allerede passeret.
problem-deadline-after-start = Ansøgningsfristen må ikke ligge efter tiltrædelsesdatoen.
problem-more-than-employees = Der kan ikke være flere account managers end ansatte.
problem-more-than-accounts = Der kan ikke være flere nøglekunder end kunder.
problem-salary-min-above-max = Den øvre grænse må ikke være under den nedre.
problem-salary-incomplete = Angiv begge ender af lønintervallet eller ingen af dem.
problem-invalid-currency = Brug en valutakode på tre bogstaver som DKK eller EUR.
problem-wrong-type = Værdien har en forkert type for dette felt.
problem-password-too-short = Brug mindst { $min } tegn. Nogle ord i træk giver en god adgangsfrase.
problem-password-too-common = Adgangskoden er for almindelig eller lavet af e-mailadressen. Vælg en anden.
problem-email-taken = Der findes allerede en bruger med denne e-mailadresse.
problem-unknown-user = Brugeren findes ikke.
problem-not-a-hiring-manager = Vælg en bruger med rollen ansættende leder.

## Måneder
month-1 = januar
month-2 = februar
month-3 = marts
month-4 = april
month-5 = maj
month-6 = juni
month-7 = juli
month-8 = august
month-9 = september
month-10 = oktober
month-11 = november
month-12 = december

## Virksomheder
companies-heading = Virksomheder
companies-new = Ny virksomhed
companies-empty = Ingen virksomheder endnu. Start med den virksomhed, du rekrutterer til.
companies-empty-demo = Vil du se dig omkring først, så fyld en tom database med eksempeldata:
company-legend = Virksomheden
company-size-band = Størrelse
company-no-profiles = Ingen rolleprofiler endnu. En rolleprofil beskriver account manager-jobbet, som det faktisk er her.
company-edit-heading = Rediger { $name }
company-delete-heading = Slet { $name }?
company-delete-question = Vil du slette { $name }?
company-delete-consequence = Virksomhedens { $count } rolleprofil(er) slettes også. Det kan ikke fortrydes.
size-band-micro = Mikro
size-band-small = Lille
size-band-medium = Mellemstor
size-band-large = Stor
size-band-micro-range = under 10 ansatte
size-band-small-range = 10–49 ansatte
size-band-medium-range = 50–249 ansatte
size-band-large-range = 250 ansatte eller flere

## Felter
field-name = Navn
field-industry = Branche
field-employees = Ansatte
field-employees-hint = Antal ansatte; størrelsen (mikro, lille, mellemstor, stor) følger heraf.
field-account_managers = Account managers
field-account_managers-hint = Hvor mange account managers virksomheden har, inklusive denne stilling.
field-location = Sted
field-description = Kort beskrivelse
field-description-hint = Hvad virksomheden laver, i få sætninger. Bruges i jobannoncer.
field-title = Stillingsbetegnelse
field-ad_language = Jobannoncens sprog
field-remote_option = Arbejdssted
field-accounts_per_manager = Kunder pr. account manager
field-accounts_per_manager-hint = Alle de kunder, én account manager tager sig af.
field-key_accounts_per_manager = Nøglekunder pr. account manager
field-key_accounts_per_manager-hint = Heraf de store eller strategiske, der har en kundeplan.
field-typical_client_size = Typisk kundestørrelse
field-client_industries = Kundernes brancher
field-client_industries-hint = Adskil dem med komma.
field-growth_focus = Fokus
field-growth_focus-hint = At fastholde kunderne eller at udvikle dem gennem mersalg og krydssalg.
field-meeting_cadence = Møder med hver kunde
field-presentation_frequency = Præsentationer for kunder
field-travel_share = Rejseaktivitet
field-travel_share-hint = Andel af arbejdstiden, i procent.
field-duties = Opgaver
field-weekly_hours = Arbejdstid pr. uge
field-salary_min = Løn fra
field-salary_min-hint = Lad begge felter stå tomme for ikke at oplyse løn.
field-salary_max = Løn til
field-salary_currency = Valuta
field-salary_period = Løn pr.
field-start_date = Tiltrædelse
field-start_date-hint = Lad feltet stå tomt for "hurtigst muligt".
field-application_deadline = Ansøgningsfrist
field-contact_name = Kontaktperson
field-contact_email = Kontaktpersonens e-mail
field-contact_phone = Kontaktpersonens telefon

## Rolleprofiler
profiles-heading = Rolleprofiler
profiles-new = Ny rolleprofil
profiles-new-for = Ny rolleprofil hos { $company }
profiles-empty = Ingen rolleprofiler endnu. En rolleprofil hører til en virksomhed.
profiles-empty-action = Vælg en virksomhed for at tilføje en
profile-company = Virksomhed
profile-account-model = Kundemodel
profile-no-duties = Ingen yderligere opgaver.
profile-legend-role = Stillingen
profile-legend-clients = Kunder
profile-legend-duties = Opgaver ud over kundepleje
profile-legend-terms = Vilkår til jobannoncen
profile-hours-per-week = { $hours } timer om ugen
profile-salary = Løn
profile-per-month = pr. måned
profile-per-year = pr. år
profile-start-asap = Hurtigst muligt
profile-edit-heading = Rediger { $title }
profile-delete-heading = Slet { $title }?
profile-delete-question = Vil du slette rolleprofilen { $title }? Det kan ikke fortrydes.
account-model-portfolio = Portefølje
account-model-mixed = Blandet
account-model-key_account = Key account
account-model-portfolio-explanation = Mange mindre kunder hver (mindst 10, højst hver tiende en nøglekunde): bredde, prioritering og effektivitet vejer tungest.
account-model-mixed-explanation = Nogle få nøglekunder ved siden af mindre kunder: rollen kræver både dybde med nøglekunderne og effektivitet med resten.
account-model-key_account-explanation = Én eller få store kunder hver (højst 5, overvejende nøglekunder eller store virksomheder): dybe relationer, kundeplaner og præsentationer for kundens ledelse.

## Valgmuligheder
language-da = Dansk
language-en = Engelsk
client-size-small_business = Små virksomheder
client-size-mid_market = Mellemstore virksomheder
client-size-enterprise = Store virksomheder
growth-focus-retain = Fastholde kunder
growth-focus-mostly_retain = Mest fastholde kunder
growth-focus-balanced = Fastholde og udvikle lige meget
growth-focus-mostly_grow = Mest udvikle kunder
growth-focus-grow = Udvikle kunder
cadence-weekly = Ugentligt
cadence-monthly = Månedligt
cadence-quarterly = Kvartalsvis
cadence-ad_hoc = Efter behov
presenting-rarely = Sjældent
presenting-sometimes = Nogle gange
presenting-often = Ofte
remote-on_site = På kontoret
remote-hybrid = Hybrid
remote-remote = Fjernarbejde
salary-period-month = Måned
salary-period-year = År
duty-delivery_sales_liaison = Bindeled mellem levering og salg
duty-upsell_cross_sell_targets = Mål for mersalg og krydssalg
duty-new_client_acquisition = Skaffe nye kunder
duty-renewals = Kontraktfornyelser
duty-onboarding = Onboarding af nye kunder
duty-reporting = Rapportering til kunder og ledelse

# amfit user interface, English.
# Every message here exists in da.ftl too; `cargo test` checks it.

## Layout
skip-to-content = Skip to content
nav-label = Main
nav-companies = Companies
nav-profiles = Role profiles
footer-tagline = amfit: hire account managers for the job as it really is.
record-updated = Last changed

## Actions and notices
action-save = Save
action-cancel = Cancel
action-edit = Edit
action-delete = Delete
action-delete-confirm = Yes, delete
notice-created = Saved.
notice-updated = Your changes are saved.
notice-deleted = Deleted.

## Forms
form-optional = optional
form-choose = Choose…
form-has-errors = Please correct the following
conflict-heading = Someone else changed this while you were editing
conflict-explanation = Your changes were not saved. The form now shows the current version; make your changes again on top of it.
conflict-your-values = What you had entered where it differs:

## Error pages and API problems
error-request-id = If you report this, quote the request id
error-home = Go to the start page
error-not-found = Not found
error-not-found-detail = There is nothing at this address. It may have been deleted.
error-invalid = Some values are not valid
error-invalid-detail = One or more fields were rejected; each is named with the reason.
error-conflict = Changed by someone else
error-conflict-detail = The record changed after the version your change was based on. Nothing was written; fetch it again and reapply your change.
error-bad-request = The request could not be read
error-bad-request-detail = The request was not in a form this address accepts.
error-too-large = The request is too large
error-too-large-detail = Requests may be at most 64 KiB.
error-method = Not allowed here
error-method-detail = This address does not accept that kind of request.
error-internal = Something went wrong on our side
error-internal-detail = The error has been logged. Please try again in a moment.

## Why a field was rejected
problem-required = This field is required.
problem-too-long = Use at most { $max } characters.
problem-too-many-items = Give at most { $max } entries.
problem-not-a-whole-number = Enter a whole number.
problem-out-of-range = Enter a number from { $min } to { $max }.
problem-unknown-choice = Choose one of the listed options ({ $allowed }).
problem-invalid-email = Enter an email address such as name@example.com.
problem-invalid-date = Enter a date as YYYY-MM-DD.
problem-date-in-past = The date has already passed.
problem-deadline-after-start = The application deadline must not be after the start date.
problem-more-than-employees = There cannot be more account managers than employees.
problem-more-than-accounts = There cannot be more key accounts than accounts.
problem-salary-min-above-max = The upper end must not be below the lower end.
problem-salary-incomplete = Give both ends of the salary band, or neither.
problem-invalid-currency = Use a three-letter currency code such as DKK or EUR.
problem-wrong-type = This value has the wrong type for this field.
problem-password-too-short = Use at least { $min } characters. A few words in a row make a good passphrase.
problem-password-too-common = This password is too common, or made of the email address. Choose another.
problem-email-taken = A user with this email address exists already.
problem-unknown-user = There is no such user.
problem-not-a-hiring-manager = Choose a user whose role is hiring manager.

## Months
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

## Companies
companies-heading = Companies
companies-new = New company
companies-empty = No companies yet. Start with the company you are hiring for.
companies-empty-demo = To look around first, fill an empty database with example data:
company-legend = The company
company-size-band = Size
company-no-profiles = No role profiles yet. A role profile describes the account-manager job as it really is here.
company-edit-heading = Edit { $name }
company-delete-heading = Delete { $name }?
company-delete-question = Do you want to delete { $name }?
company-delete-consequence = Its { $count } role profile(s) will be deleted too. This cannot be undone.
size-band-micro = Micro
size-band-small = Small
size-band-medium = Medium
size-band-large = Large
size-band-micro-range = fewer than 10 employees
size-band-small-range = 10–49 employees
size-band-medium-range = 50–249 employees
size-band-large-range = 250 employees or more

## Fields
field-name = Name
field-industry = Industry
field-employees = Employees
field-employees-hint = Headcount; the size band (micro, small, medium, large) follows from it.
field-account_managers = Account managers
field-account_managers-hint = How many account managers the company has, including this role.
field-location = Location
field-description = Short description
field-description-hint = What the company does, in a few sentences. Used in job ads.
field-title = Job title
field-ad_language = Language of the job ad
field-remote_option = Place of work
field-accounts_per_manager = Client accounts per account manager
field-accounts_per_manager-hint = All the accounts one account manager looks after.
field-key_accounts_per_manager = Key accounts per account manager
field-key_accounts_per_manager-hint = Of those, the large or strategic ones that get an account plan.
field-typical_client_size = Typical client size
field-client_industries = Client industries
field-client_industries-hint = Separate them with commas.
field-growth_focus = Focus
field-growth_focus-hint = Keeping the accounts one has, or growing them through upsell and cross-sell.
field-meeting_cadence = Meetings with each client
field-presentation_frequency = Presenting to clients
field-travel_share = Travel
field-travel_share-hint = Share of working time, in per cent.
field-duties = Duties
field-weekly_hours = Working hours per week
field-salary_min = Salary from
field-salary_min-hint = Leave both ends empty to publish no salary.
field-salary_max = Salary to
field-salary_currency = Currency
field-salary_period = Salary per
field-start_date = Start date
field-start_date-hint = Leave empty for "as soon as possible".
field-application_deadline = Application deadline
field-contact_name = Contact person
field-contact_email = Contact email
field-contact_phone = Contact phone

## Role profiles
profiles-heading = Role profiles
profiles-new = New role profile
profiles-new-for = New role profile at { $company }
profiles-empty = No role profiles yet. Role profiles belong to a company.
profiles-empty-action = Choose a company to add one
profile-company = Company
profile-account-model = Account model
profile-no-duties = No further duties.
profile-legend-role = The role
profile-legend-clients = Clients
profile-legend-duties = Duties besides looking after clients
profile-legend-terms = Terms for the job ad
profile-hours-per-week = { $hours } hours a week
profile-salary = Salary
profile-per-month = per month
profile-per-year = per year
profile-start-asap = As soon as possible
profile-edit-heading = Edit { $title }
profile-delete-heading = Delete { $title }?
profile-delete-question = Do you want to delete the role profile { $title }? This cannot be undone.
account-model-portfolio = Portfolio
account-model-mixed = Mixed
account-model-key_account = Key account
account-model-portfolio-explanation = Many smaller accounts each (at least 10, at most one in ten a key account): breadth, prioritisation and efficiency matter most.
account-model-mixed-explanation = A few key accounts alongside smaller ones: the role needs both depth with the key clients and efficiency with the rest.
account-model-key_account-explanation = One or a few large clients each (at most 5, mostly key accounts or enterprises): depth of relationship, account planning and presenting to senior client staff.

## Choices
language-da = Danish
language-en = English
client-size-small_business = Small businesses
client-size-mid_market = Mid-market
client-size-enterprise = Enterprises
growth-focus-retain = Keep accounts
growth-focus-mostly_retain = Mostly keep accounts
growth-focus-balanced = Keep and grow equally
growth-focus-mostly_grow = Mostly grow accounts
growth-focus-grow = Grow accounts
cadence-weekly = Weekly
cadence-monthly = Monthly
cadence-quarterly = Quarterly
cadence-ad_hoc = As needed
presenting-rarely = Rarely
presenting-sometimes = Sometimes
presenting-often = Often
remote-on_site = On site
remote-hybrid = Hybrid
remote-remote = Remote
salary-period-month = Month
salary-period-year = Year
duty-delivery_sales_liaison = Liaison between delivery and sales
duty-upsell_cross_sell_targets = Upsell and cross-sell targets
duty-new_client_acquisition = Winning new clients
duty-renewals = Contract renewals
duty-onboarding = Onboarding new clients
duty-reporting = Reporting to clients and management

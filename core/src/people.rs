//! People (agents and admins), invitations and sign-in sessions: wire shapes and field rules.

use serde::{Deserialize, Serialize};

use crate::Locale;
use crate::api::Role;
use crate::request::Email;
use crate::validation::{FieldError, FieldErrorCode, TextRule, ValidationErrors};

/// Name of the cookie that carries a signed-in person's session. `__Host-`: the browser keeps
/// it only if it is `Secure`, has `Path=/` and no `Domain`, so no subdomain can plant one.
pub const SESSION_COOKIE: &str = "__Host-edgedesk-session";

/// Most open tickets a person may be set to hold.
pub const MAX_CAPACITY: u32 = 1000;
/// Most languages a person may list.
pub const MAX_LANGUAGES: usize = 20;

const NAME_RULE: TextRule = TextRule {
    min: 1,
    max: 120,
    multiline: false,
};

/// A person as the admin API shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PersonView {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// One of the desk's locales: the language of the console and of their emails.
    pub locale: String,
    /// IANA time zone their due times are shown in.
    pub time_zone: String,
    /// Languages they answer requesters in (BCP 47 primary tags, e.g. `he`, `pl`).
    pub languages: Vec<String>,
    /// Most open tickets they should hold.
    pub capacity: u32,
    pub away: bool,
    /// `false` once deactivated: their sessions and tokens stop working; their tickets stay
    /// assigned to them.
    pub active: bool,
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema::Timestamp>")
    )]
    pub deactivated_at: Option<String>,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Timestamp"))]
    pub created_at: String,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Timestamp"))]
    pub updated_at: String,
}

/// `PATCH /api/v1/admin/people/{id}`: only the fields given change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct PersonPatch {
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 120)))]
    pub name: Option<String>,
    #[cfg_attr(feature = "schema", schemars(extend("format" = "email")))]
    pub email: Option<String>,
    pub role: Option<Role>,
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["en", "he", "pl", "el", "uz", null])))]
    pub locale: Option<String>,
    pub time_zone: Option<String>,
    #[cfg_attr(feature = "schema", schemars(length(max = 20)))]
    pub languages: Option<Vec<String>>,
    #[cfg_attr(feature = "schema", schemars(range(max = 1000)))]
    pub capacity: Option<u32>,
    pub away: Option<bool>,
    /// `false` deactivates (ending their sessions at once), `true` reactivates.
    pub active: Option<bool>,
}

/// A checked [`PersonPatch`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonChange {
    pub name: Option<String>,
    pub email: Option<Email>,
    pub role: Option<Role>,
    pub locale: Option<Locale>,
    pub time_zone: Option<String>,
    pub languages: Option<Vec<String>>,
    pub capacity: Option<u32>,
    pub away: Option<bool>,
    pub active: Option<bool>,
}

impl PersonChange {
    /// Whether the change may leave the organisation without an active admin (the store then
    /// checks that another one remains).
    #[must_use]
    pub fn may_remove_an_admin(&self) -> bool {
        self.role == Some(Role::Agent) || self.active == Some(false)
    }
}

impl PersonPatch {
    /// # Errors
    /// Every field that breaks its rule, each with its own message.
    pub fn parse(&self) -> Result<PersonChange, ValidationErrors> {
        let mut errors = Vec::new();
        let change = PersonChange {
            name: self
                .name
                .as_deref()
                .and_then(|n| keep(&mut errors, NAME_RULE.parse("name", n))),
            email: self
                .email
                .as_deref()
                .and_then(|e| keep(&mut errors, Email::parse("email", e))),
            role: self.role,
            locale: self
                .locale
                .as_deref()
                .and_then(|l| keep(&mut errors, parse_locale(l))),
            time_zone: self
                .time_zone
                .as_deref()
                .and_then(|z| keep(&mut errors, parse_time_zone(z))),
            languages: self
                .languages
                .as_deref()
                .and_then(|l| keep(&mut errors, parse_languages(l))),
            capacity: self
                .capacity
                .and_then(|c| keep(&mut errors, parse_capacity(c))),
            away: self.away,
            active: self.active,
        };
        if errors.is_empty() {
            Ok(change)
        } else {
            Err(ValidationErrors(errors))
        }
    }
}

/// `result`'s value, or `None` with its error kept.
fn keep<T>(errors: &mut Vec<FieldError>, result: Result<T, FieldError>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

fn parse_locale(raw: &str) -> Result<Locale, FieldError> {
    Locale::ALL
        .into_iter()
        .find(|l| l.code() == raw)
        .ok_or_else(|| FieldError::new("locale", FieldErrorCode::NotAnOption, None))
}

/// An IANA zone name, kept as given once the tz database knows it (its lookup is exact, so
/// that is the zone's own name; `Tz::name` would link a second table of every zone's name).
fn parse_time_zone(raw: &str) -> Result<String, FieldError> {
    raw.parse::<chrono_tz::Tz>()
        .map(|_| raw.to_owned())
        .map_err(|_| FieldError::new("time_zone", FieldErrorCode::NotAnOption, None))
}

/// A language as people list them: a BCP 47 primary language subtag (2 or 3 letters), stored
/// in lower case, each once.
fn parse_languages(raw: &[String]) -> Result<Vec<String>, FieldError> {
    if raw.len() > MAX_LANGUAGES {
        return Err(FieldError::new(
            "languages",
            FieldErrorCode::TooLong,
            Some(u32::try_from(MAX_LANGUAGES).unwrap_or(u32::MAX)),
        ));
    }
    let mut languages = Vec::with_capacity(raw.len());
    for language in raw {
        let code = language.trim().to_ascii_lowercase();
        if !(2..=3).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_lowercase()) {
            return Err(FieldError::new(
                "languages",
                FieldErrorCode::NotAnOption,
                None,
            ));
        }
        if !languages.contains(&code) {
            languages.push(code);
        }
    }
    Ok(languages)
}

fn parse_capacity(raw: u32) -> Result<u32, FieldError> {
    if raw > MAX_CAPACITY {
        Err(FieldError::new(
            "capacity",
            FieldErrorCode::AboveMaximum,
            Some(MAX_CAPACITY),
        ))
    } else {
        Ok(raw)
    }
}

/// The key an address is unique by within an organisation: the whole address in lower case.
#[must_use]
pub fn email_key(email: &Email) -> String {
    email.as_str().to_lowercase()
}

/// `POST /api/v1/admin/people` (a person added directly, who signs in with a link an admin
/// sends) and `POST /api/v1/admin/invitations` (a person who joins through a link).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(extend("required" = ["email", "name", "role"])))]
pub struct NewPersonInput {
    #[cfg_attr(feature = "schema", schemars(extend("format" = "email")))]
    pub email: String,
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 120)))]
    pub name: String,
    pub role: Option<Role>,
}

/// A checked [`NewPersonInput`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub email: Email,
    pub name: String,
    pub role: Role,
}

impl NewPersonInput {
    /// # Errors
    /// Every field that breaks its rule.
    pub fn parse(&self) -> Result<Invitation, ValidationErrors> {
        let email = Email::parse("email", &self.email);
        let name = NAME_RULE.parse("name", &self.name);
        let role = self
            .role
            .ok_or_else(|| FieldError::new("role", FieldErrorCode::Required, None));
        match (email, name, role) {
            (Ok(email), Ok(name), Ok(role)) => Ok(Invitation { email, name, role }),
            (email, name, role) => Err(ValidationErrors(
                [email.err(), name.err(), role.err()]
                    .into_iter()
                    .flatten()
                    .collect(),
            )),
        }
    }
}

/// Where an invitation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum InvitationStatus {
    Pending,
    Accepted,
    Revoked,
    Expired,
}

/// An invitation as listed (its link is shown only when it is made).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InvitationView {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub status: InvitationStatus,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Timestamp"))]
    pub created_at: String,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Timestamp"))]
    pub expires_at: String,
    /// The person the invitation made, once accepted.
    pub person: Option<String>,
}

/// `201` answer to making an invitation or a sign-in link: the only time its link is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CreatedLink {
    /// The invitation's or link's id.
    pub id: String,
    /// The single-use address to send the person.
    #[cfg_attr(feature = "schema", schemars(extend("format" = "uri")))]
    pub url: String,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Timestamp"))]
    pub expires_at: String,
}

/// `POST /api/v1/sign-in/link`: the secret from a sign-in link.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(extend("required" = ["token"])))]
pub struct LinkSignIn {
    pub token: String,
}

/// `200` answer to a sign-in: the session is in the `Set-Cookie` header, never in the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SignedIn {
    /// The person signed in.
    pub person: String,
    /// The new session's id (as `GET /api/v1/me/sessions` lists it).
    pub session: String,
}

/// How a session was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum SignInMethod {
    Link,
    Passkey,
    Invitation,
}

/// One of a person's signed-in sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SessionView {
    pub id: String,
    pub method: SignInMethod,
    /// The browser's `User-Agent` when it signed in (cut to 200 characters).
    pub user_agent: String,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Timestamp"))]
    pub created_at: String,
    /// Last use, to within ten minutes.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Timestamp"))]
    pub seen_at: String,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Timestamp"))]
    pub expires_at: String,
    /// The session this request came with.
    pub current: bool,
}

/// `GET /api/v1/me`: who is calling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Me {
    /// The person, unless the caller is an integration's token.
    pub person: Option<PersonView>,
    /// The role this caller acts with (a person's token acts with at most their role).
    pub role: Role,
    /// The organisation's slug.
    pub org: String,
    /// How the caller authenticated.
    pub via: Credential,
}

/// What a request authenticated with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Credential {
    Session,
    Token,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_patch_reports_every_broken_field_and_keeps_the_rest_out() {
        let patch = PersonPatch {
            name: Some(String::new()),
            email: Some("not an address".into()),
            locale: Some("de".into()),
            time_zone: Some("Mars/Olympus".into()),
            languages: Some(vec!["hebrew".into()]),
            capacity: Some(1001),
            ..PersonPatch::default()
        };
        let errors = patch.parse().expect_err("all wrong");
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "name",
                "email",
                "locale",
                "time_zone",
                "languages",
                "capacity"
            ]
        );
    }

    #[test]
    fn a_patch_is_read_into_its_parts() {
        let patch = PersonPatch {
            email: Some(" Ann@Example.COM ".into()),
            locale: Some("he".into()),
            time_zone: Some("Asia/Jerusalem".into()),
            languages: Some(vec!["HE".into(), "en".into(), "he".into()]),
            capacity: Some(0),
            role: Some(Role::Agent),
            ..PersonPatch::default()
        };
        let change = patch.parse().expect("valid");
        let email = change.email.as_ref().expect("email");
        assert_eq!(email.as_str(), "Ann@example.com");
        assert_eq!(email_key(email), "ann@example.com");
        assert_eq!(change.locale, Some(Locale::He));
        assert_eq!(change.languages, Some(vec!["he".into(), "en".into()]));
        assert!(change.may_remove_an_admin());
        assert!(!PersonChange::default().may_remove_an_admin());
    }

    #[test]
    fn an_invitation_needs_an_address_a_name_and_a_role() {
        let errors = NewPersonInput::default().parse().expect_err("empty");
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["email", "name", "role"]);
        let ok = NewPersonInput {
            email: "eve@acme.example".into(),
            name: "Eve".into(),
            role: Some(Role::Admin),
        }
        .parse()
        .expect("valid");
        assert_eq!(ok.role, Role::Admin);
    }
}

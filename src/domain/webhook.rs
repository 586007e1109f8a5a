//! Webhooks: the events an integrator is told of, the address they go to (never amfit itself
//! or a machine's own network), and the signature that proves a delivery came from amfit.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use hmac::Mac;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::input::{FieldErrors, FieldParser, Problem, lenient_text};

/// What happened, as a webhook is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, strum::VariantArray)]
pub enum WebhookEvent {
    /// A candidate applied: on the job page, through the API or the web, or in an import.
    #[serde(rename = "application.created")]
    ApplicationCreated,
    /// An application moved to another stage.
    #[serde(rename = "stage.changed")]
    StageChanged,
    /// A hiring manager recorded a decision.
    #[serde(rename = "decision.recorded")]
    DecisionRecorded,
}

impl WebhookEvent {
    pub fn as_str(self) -> &'static str {
        match self {
            WebhookEvent::ApplicationCreated => "application.created",
            WebhookEvent::StageChanged => "stage.changed",
            WebhookEvent::DecisionRecorded => "decision.recorded",
        }
    }

    pub fn named(name: &str) -> Option<Self> {
        <Self as strum::VariantArray>::VARIANTS.iter().copied().find(|event| event.as_str() == name)
    }
}

/// The longest address a webhook may have.
pub const URL_MAX: usize = 500;

/// A webhook as the API's JSON body sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct WebhookInput {
    /// Where deliveries are posted: an http or https address on another machine.
    #[serde(deserialize_with = "lenient_text")]
    #[schema(value_type = String, max_length = 500, example = "https://ats.example.com/hooks/amfit", required = true)]
    pub url: Option<String>,
    /// The events it is sent; at least one.
    #[schema(value_type = Vec<WebhookEvent>)]
    pub events: Vec<String>,
}

/// A webhook to keep: valid by construction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWebhook {
    pub url: url::Url,
    pub events: Vec<WebhookEvent>,
}

impl WebhookInput {
    /// The webhook, or every field that is wrong. `own_host` is amfit's own (from its public
    /// URL): a webhook may not point at it.
    pub fn parse(&self, own_host: Option<&str>) -> Result<NewWebhook, FieldErrors> {
        let mut p = FieldParser::default();
        let text = p.required_text("url", &self.url);
        let url = match target(&text, own_host) {
            Ok(url) => Some(url),
            Err(problem) if !text.is_empty() => {
                p.reject("url", problem);
                None
            }
            Err(_) => None,
        };
        let mut events = Vec::new();
        for name in &self.events {
            match WebhookEvent::named(name.trim()) {
                Some(event) if !events.contains(&event) => events.push(event),
                Some(_) => {}
                None => p.reject("events", unknown_event()),
            }
        }
        if self.events.is_empty() {
            p.reject("events", Problem::Required);
        }
        let url = url.unwrap_or_else(|| url::Url::parse("https://invalid.example/").expect("a URL"));
        p.finish(NewWebhook { url, events })
    }
}

fn unknown_event() -> Problem {
    let names = <WebhookEvent as strum::VariantArray>::VARIANTS.iter().map(|event| event.as_str().to_owned());
    Problem::UnknownChoice { allowed: names.collect() }
}

/// `text` as a webhook's address: http or https, a host, no credentials, not too long, and
/// neither amfit's own host nor a name or address of a machine's own (loopback, link-local,
/// unspecified, multicast: where a request would reach amfit or the cloud's metadata service).
fn target(text: &str, own_host: Option<&str>) -> Result<url::Url, Problem> {
    if text.chars().count() > URL_MAX {
        return Err(Problem::TooLong { max: URL_MAX as u64 });
    }
    let url = url::Url::parse(text).map_err(|_| Problem::InvalidLink)?;
    if !matches!(url.scheme(), "http" | "https") || !url.username().is_empty() || url.password().is_some() {
        return Err(Problem::InvalidLink);
    }
    let forbidden = match url.host() {
        None => return Err(Problem::InvalidLink),
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost") || own_host.is_some_and(|own| own == name)
        }
        Some(url::Host::Ipv4(ip)) => !may_receive(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => !may_receive(IpAddr::V6(ip)),
    };
    if forbidden { Err(Problem::WebhookToOwnNetwork) } else { Ok(url) }
}

/// Whether a delivery may go to `ip`: not this machine (loopback, unspecified, `0.0.0.0/8`),
/// not the link's own network (link-local) nor the other places clouds answer metadata
/// requests (`100.64.0.0/10`, `192.0.0.0/24`, `fd00:ec2::254`), not a group (multicast,
/// broadcast), not benchmarking space; an IPv4 address written in IPv6 (mapped, compatible,
/// NAT64, 6to4) is judged as itself. Checked again for each address a name resolves to when
/// a delivery is made, so that a name that points here later does not get through either.
pub fn may_receive(ip: IpAddr) -> bool {
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4_may_receive(v4),
        IpAddr::V6(v6) => v6_may_receive(v6),
    }
}

fn v4_may_receive(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let this_network = a == 0;
    let shared = a == 100 && (64..128).contains(&b);
    let protocol = a == 192 && b == 0 && c == 0;
    let benchmarking = a == 198 && (b == 18 || b == 19);
    !(this_network
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_multicast()
        || shared
        || protocol
        || benchmarking)
}

fn v6_may_receive(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    let v4 = |high: u16, low: u16| Ipv4Addr::from((u32::from(high) << 16) | u32::from(low));
    if s[..6] == [0; 6] {
        // ::/96: unspecified, loopback, and IPv4-compatible addresses.
        return false;
    }
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return v4_may_receive(v4(s[6], s[7]));
    }
    if s[0] == 0x2002 {
        return v4_may_receive(v4(s[1], s[2]));
    }
    let link_local = (s[0] & 0xffc0) == 0xfe80;
    let cloud_metadata = ip == Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254);
    !(ip.is_multicast() || link_local || cloud_metadata)
}

/// The signature of a delivery of `body` at `timestamp` (Unix seconds), with `secret`:
/// `sha256=` and the hex HMAC-SHA256 of `"{timestamp}.{body}"`. The timestamp is signed too, so
/// that a delivery seen once cannot be replayed later as new.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac =
        hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(format!("{timestamp}.{body}").as_bytes());
    let digest = mac.finalize().into_bytes();
    format!("sha256={}", digest.iter().map(|byte| format!("{byte:02x}")).collect::<String>())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(url: &str, events: &[&str]) -> WebhookInput {
        WebhookInput { url: Some(url.into()), events: events.iter().map(|e| (*e).to_owned()).collect() }
    }

    #[test]
    fn a_webhook_goes_to_another_machine_over_http_for_known_events() {
        let ok = input("https://ats.example.com/hooks", &["stage.changed", "application.created", "stage.changed"]);
        let hook = ok.parse(Some("amfit.example.dk")).unwrap();
        assert_eq!(hook.events, [WebhookEvent::StageChanged, WebhookEvent::ApplicationCreated]);
        assert!(
            input("http://10.0.0.7:8080/in", &["decision.recorded"]).parse(None).is_ok(),
            "a private network is the integrator's own"
        );
        for (url, problem) in [
            ("ftp://ats.example.com/", Problem::InvalidLink),
            ("https://user:pw@ats.example.com/", Problem::InvalidLink),
            ("not a url", Problem::InvalidLink),
            ("http://localhost:3000/api", Problem::WebhookToOwnNetwork),
            ("http://127.0.0.1/", Problem::WebhookToOwnNetwork),
            ("http://[::1]/", Problem::WebhookToOwnNetwork),
            ("http://[::ffff:127.0.0.1]/", Problem::WebhookToOwnNetwork),
            ("http://169.254.169.254/latest/meta-data", Problem::WebhookToOwnNetwork),
            ("http://0.0.0.0/", Problem::WebhookToOwnNetwork),
            ("http://0.1.2.3/", Problem::WebhookToOwnNetwork),
            ("http://100.100.100.200/latest/meta-data", Problem::WebhookToOwnNetwork),
            ("http://192.0.0.192/opc/v1/instance", Problem::WebhookToOwnNetwork),
            ("http://[fd00:ec2::254]/latest", Problem::WebhookToOwnNetwork),
            ("http://[::127.0.0.1]/", Problem::WebhookToOwnNetwork),
            ("http://[64:ff9b::7f00:1]/", Problem::WebhookToOwnNetwork),
            ("http://[2002:7f00:1::]/", Problem::WebhookToOwnNetwork),
            ("http://[fe80::1]/", Problem::WebhookToOwnNetwork),
            ("https://AMFIT.example.dk./hook", Problem::WebhookToOwnNetwork),
        ] {
            let errors = input(url, &["stage.changed"]).parse(Some("amfit.example.dk")).unwrap_err();
            assert_eq!(errors.get("url"), Some(&problem), "{url}");
        }
        let errors = input("https://ats.example.com/", &["stage.moved"]).parse(None).unwrap_err();
        assert_eq!(errors.get("events"), Some(&unknown_event()));
        assert_eq!(
            input("https://ats.example.com/", &[]).parse(None).unwrap_err().get("events"),
            Some(&Problem::Required)
        );
    }

    #[test]
    fn a_delivery_is_signed_with_its_timestamp() {
        // RFC 4231 test case 2 ("Jefe", "what do ya want for nothing?"), split at its dot.
        let signed = signature("Jefe", 0, "");
        assert_eq!(signed.len(), "sha256=".len() + 64);
        assert_eq!(signature("Jefe", 1, "{}"), signature("Jefe", 1, "{}"));
        assert_ne!(signature("Jefe", 1, "{}"), signature("Jefe", 2, "{}"), "the timestamp is signed");
        assert_ne!(signature("Jefe", 1, "{}"), signature("Jeff", 1, "{}"));
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"what do ya want for nothing?");
        let known = mac.finalize().into_bytes();
        assert_eq!(
            known.iter().map(|b| format!("{b:02x}")).collect::<String>(),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}

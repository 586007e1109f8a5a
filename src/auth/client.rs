//! Which client a request comes from, for throttling: the connection's peer address, or,
//! when that peer is a proxy the operator named as trusted, the address the proxy says it
//! forwarded for.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use ipnet::IpNet;

use crate::app::AppState;

/// The client's address; `None` where the server was not given connection info (a router
/// driven without a socket, as in-process tests do).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub Option<IpAddr>);

impl std::fmt::Display for ClientAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(address) => address.fmt(f),
            None => f.write_str("unknown"),
        }
    }
}

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(peer)| peer.ip());
        let forwarded = parts.headers.get_all("x-forwarded-for").iter().filter_map(|value| value.to_str().ok());
        Ok(ClientAddress(peer.map(|peer| client_of(peer, forwarded, &state.auth.trusted_proxies))))
    }
}

/// The peer, unless it is a trusted proxy: then the nearest address in `X-Forwarded-For`
/// (read from the right, as each proxy appends) that is not itself a trusted proxy. An
/// address a client wrote there itself is never reached while a trusted proxy appended
/// the real one after it; a header that does not parse is ignored.
fn client_of<'a>(peer: IpAddr, forwarded_for: impl Iterator<Item = &'a str>, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |address: &IpAddr| trusted.iter().any(|net| net.contains(address));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops: Vec<&str> = forwarded_for.flat_map(|value| value.split(',')).map(str::trim).collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Ok(address) = hop.parse::<IpAddr>() else { break };
        client = address;
        if !is_trusted(&address) {
            break;
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn forwarded_for_is_believed_only_from_a_trusted_proxy() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap(), "::1/128".parse().unwrap()];
        let from = |peer: &str, header: &[&str]| client_of(ip(peer), header.iter().copied(), &trusted);
        assert_eq!(from("203.0.113.9", &["198.51.100.1"]), ip("203.0.113.9"), "an untrusted peer is the client");
        assert_eq!(from("10.1.2.3", &["198.51.100.1"]), ip("198.51.100.1"));
        assert_eq!(
            from("10.1.2.3", &["6.6.6.6, 198.51.100.1"]),
            ip("198.51.100.1"),
            "a written-in address is not reached"
        );
        assert_eq!(from("10.1.2.3", &["198.51.100.1, 10.9.9.9"]), ip("198.51.100.1"), "proxies in a chain are passed");
        assert_eq!(from("10.1.2.3", &["6.6.6.6", "198.51.100.1"]), ip("198.51.100.1"), "several header lines");
        assert_eq!(from("10.1.2.3", &[]), ip("10.1.2.3"), "no header: the proxy itself");
        assert_eq!(from("10.1.2.3", &["not an address"]), ip("10.1.2.3"));
        assert_eq!(from("::1", &["2001:db8::7"]), ip("2001:db8::7"));
    }
}

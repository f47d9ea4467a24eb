//! Who the client is: the TCP peer, or, when the peer is one of the
//! configured trusted proxies (TLS terminator, load balancer), the address
//! those proxies report in `Forwarded` (RFC 7239) or `X-Forwarded-For`.
//!
//! The headers are read right to left and the first address that is not a
//! trusted proxy is the client: anything to its left was written by the client
//! itself and proves nothing. Without trusted proxies the headers are ignored.

use app::identity::auth::ssr::ClientIp;
use axum::{
    extract::{ConnectInfo, Request, State},
    http::{HeaderMap, header},
    middleware::Next,
    response::Response,
};
use ipnet::IpNet;
use std::{
    net::{IpAddr, Ipv6Addr, SocketAddr},
    sync::Arc,
};

/// Puts the request's [`ClientIp`] in its extensions for the rate limits,
/// the audit log and the list of sessions.
pub async fn layer(
    State(trusted): State<Arc<Vec<IpNet>>>,
    mut request: Request,
    next: Next,
) -> Response {
    // In-process callers (tests) have no peer: they share the unspecified address.
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::from([0, 0, 0, 0]), |info| info.0.ip());
    let client = client_ip(peer, request.headers(), &trusted);
    request.extensions_mut().insert(ClientIp(client));
    next.run(request).await
}

pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(&canonical(*ip)));
    if !is_trusted(&peer) {
        return canonical(peer);
    }
    let forwarded = forwarded_for(headers);
    let chain = if forwarded.is_empty() {
        x_forwarded_for(headers)
    } else {
        forwarded
    };
    // Right to left: each trusted hop vouches for the one before it.
    let mut client = peer;
    for hop in chain.into_iter().rev() {
        match hop {
            Some(ip) if is_trusted(&ip) => client = ip,
            Some(ip) => return canonical(ip),
            // "unknown" or an obfuscated name: nothing more can be trusted.
            None => break,
        }
    }
    canonical(client)
}

/// IPv4 clients seen through an IPv6 socket (`::ffff:192.0.2.1`) are IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// The `for=` values of every `Forwarded` header, in order.
fn forwarded_for(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    headers
        .get_all(header::FORWARDED)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (name, value) = pair.trim().split_once('=')?;
                name.trim()
                    .eq_ignore_ascii_case("for")
                    .then(|| parse_node(value.trim().trim_matches('"')))
            })
        })
        .collect()
}

/// Every address of every `X-Forwarded-For` header, in order.
fn x_forwarded_for(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|hop| parse_node(hop.trim()))
        .collect()
}

/// `192.0.2.1`, `192.0.2.1:4711`, `[2001:db8::1]:4711` or `2001:db8::1`.
fn parse_node(node: &str) -> Option<IpAddr> {
    if let Some(rest) = node.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    node.parse().ok().or_else(|| {
        let (host, port) = node.rsplit_once(':')?;
        port.parse::<u16>().ok()?;
        host.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
    })
}

/// The key a per-address limit counts under: one IPv6 customer usually
/// holds a whole /64, so its addresses share one bucket.
pub fn rate_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => {
            let segments = v6.segments();
            IpAddr::V6(Ipv6Addr::new(
                segments[0],
                segments[1],
                segments[2],
                segments[3],
                0,
                0,
                0,
                0,
            ))
        }
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("address")
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|n| n.parse().expect("network")).collect()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).expect("header"));
        }
        map
    }

    /// The client address a request from `peer` with those headers gets,
    /// behind proxies in 10.0.0.0/8.
    fn behind_proxies(peer: &str, pairs: &[(&'static str, &str)]) -> IpAddr {
        client_ip(ip(peer), &headers(pairs), &nets(&["10.0.0.0/8"]))
    }

    #[test]
    fn without_trusted_proxies_the_headers_are_ignored() {
        let spoofed = headers(&[
            ("x-forwarded-for", "203.0.113.9"),
            ("forwarded", "for=203.0.113.9"),
        ]);
        assert_eq!(
            client_ip(ip("198.51.100.4"), &spoofed, &[]),
            ip("198.51.100.4")
        );
    }

    #[test]
    fn a_trusted_proxy_names_the_client() {
        let via = [("x-forwarded-for", "203.0.113.9")];
        assert_eq!(behind_proxies("10.1.2.3", &via), ip("203.0.113.9"));
        // From an untrusted peer the same header means nothing.
        assert_eq!(behind_proxies("198.51.100.4", &via), ip("198.51.100.4"));
    }

    #[test]
    fn addresses_the_client_wrote_itself_are_skipped() {
        // The client sent "1.2.3.4" itself; the proxy appended the real peer.
        let chain = [("x-forwarded-for", "1.2.3.4, 203.0.113.9, 10.0.0.2")];
        assert_eq!(behind_proxies("10.0.0.1", &chain), ip("203.0.113.9"));
        // Two header lines count as one list.
        let split = [
            ("x-forwarded-for", "1.2.3.4"),
            ("x-forwarded-for", "203.0.113.9"),
        ];
        assert_eq!(behind_proxies("10.0.0.1", &split), ip("203.0.113.9"));
    }

    #[test]
    fn forwarded_is_read_with_ports_and_brackets() {
        let v6 = [("forwarded", "for=\"[2001:db8:cafe::17]:4711\";proto=https")];
        assert_eq!(behind_proxies("10.0.0.1", &v6), ip("2001:db8:cafe::17"));
        let v4 = [("forwarded", "for=192.0.2.60:8080, for=10.0.0.3")];
        assert_eq!(behind_proxies("10.0.0.1", &v4), ip("192.0.2.60"));
        let unknown = [("forwarded", "for=unknown")];
        assert_eq!(behind_proxies("10.0.0.1", &unknown), ip("10.0.0.1"));
    }

    #[test]
    fn ipv6_addresses_share_their_64_block() {
        assert_eq!(
            rate_key(ip("2001:db8:1:2:aaaa::1")),
            rate_key(ip("2001:db8:1:2:bbbb::2"))
        );
        assert_ne!(
            rate_key(ip("2001:db8:1:2::1")),
            rate_key(ip("2001:db8:1:3::1"))
        );
        assert_eq!(rate_key(ip("192.0.2.1")), ip("192.0.2.1"));
        assert_eq!(canonical(ip("::ffff:192.0.2.1")), ip("192.0.2.1"));
    }
}

//! Which address a request comes from, for the login throttle and its log line. Behind a
//! reverse proxy or load balancer every request arrives from the proxy, so one colleague's
//! typos would lock the whole clinic out; the proxy's `X-Forwarded-For` is believed only when
//! the connection comes from an address listed in `ACTBOARD_TRUSTED_PROXIES`.

use ipnet::IpNet;
use std::net::IpAddr;

/// The client's address: the peer, unless the peer is a trusted proxy; then the right-most
/// `X-Forwarded-For` entry that is not itself a trusted proxy (the left-most ones are
/// whatever the client chose to send). An unreadable entry ends the walk at the last address
/// we could vouch for, so a garbled header cannot pick an arbitrary address.
pub fn client_ip(
    peer: Option<IpAddr>,
    forwarded_for: &[&str],
    trusted: &[IpNet],
) -> Option<IpAddr> {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|n| n.contains(ip));
    // A server bound to [::] sees IPv4 peers as ::ffff:a.b.c.d; compare them as IPv4.
    let mut current = peer?.to_canonical();
    if !is_trusted(&current) {
        return Some(current);
    }
    // Several X-Forwarded-For headers read as one list, in order.
    let hops: Vec<&str> = forwarded_for
        .iter()
        .flat_map(|h| h.split(','))
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .collect();
    for hop in hops.iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(ip) => {
                current = ip.to_canonical();
                if !is_trusted(&ip) {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    Some(current)
}

/// May this request read `GET /metrics`? Its peer must be in `allowed`, and so must every
/// address a forwarding header names (`X-Forwarded-For`, `X-Real-IP`, `Forwarded: for=`),
/// whether or not the peer is a trusted proxy: a reverse proxy on the same machine (a
/// loopback peer) passing on a request from the internet is refused. An entry that is not an
/// address (`unknown`, an obfuscated name, garbage) is refused too.
pub fn metrics_allowed(
    peer: Option<IpAddr>,
    forwarded_for: &[&str],
    forwarded: &[&str],
    allowed: &[IpNet],
) -> bool {
    let ok = |ip: IpAddr| allowed.iter().any(|n| n.contains(&ip.to_canonical()));
    let Some(peer) = peer else { return false };
    if !ok(peer) {
        return false;
    }
    let plain = forwarded_for
        .iter()
        .flat_map(|h| h.split(','))
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .map(|h| h.parse::<IpAddr>().ok());
    let rfc7239 = forwarded
        .iter()
        .flat_map(|h| h.split([',', ';']))
        .filter_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            k.trim()
                .eq_ignore_ascii_case("for")
                .then(|| forwarded_node(v))
        });
    plain.chain(rfc7239).all(|ip| ip.is_some_and(ok))
}

/// The address of an RFC 7239 node: `192.0.2.43`, `"192.0.2.43:4711"`, `"[2001:db8::1]:80"`.
fn forwarded_node(v: &str) -> Option<IpAddr> {
    let v = v.trim().trim_matches('"');
    if let Some(rest) = v.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    let host = match v.rsplit_once(':') {
        Some((h, port)) if !h.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => v,
    };
    host.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_are_for_allowed_peers_without_foreign_hops() {
        let lo = crate::config::loopback_nets();
        let mut prom = lo.clone();
        prom.push(parse_proxy("10.0.0.0/8").unwrap());
        let yes = |peer: &str, xff: &[&str], fwd: &[&str], nets: &[IpNet]| {
            metrics_allowed(Some(ip(peer)), xff, fwd, nets)
        };
        assert!(yes("127.0.0.1", &[], &[], &lo));
        assert!(yes("::1", &[], &[], &lo));
        assert!(yes("::ffff:127.0.0.1", &[], &[], &lo));
        assert!(!yes("10.1.2.3", &[], &[], &lo));
        assert!(yes("10.1.2.3", &[], &[], &prom));
        assert!(!yes("203.0.113.9", &[], &[], &prom));
        assert!(!metrics_allowed(None, &[], &[], &lo));
        // A proxy on this machine passing on a request from elsewhere.
        assert!(!yes("127.0.0.1", &["203.0.113.9"], &[], &lo));
        assert!(!yes("127.0.0.1", &["127.0.0.1, 203.0.113.9"], &[], &lo));
        assert!(!yes(
            "127.0.0.1",
            &[],
            &["for=203.0.113.9;proto=https"],
            &lo
        ));
        assert!(!yes("127.0.0.1", &[], &["for=\"[2001:db8::1]:4711\""], &lo));
        assert!(!yes("127.0.0.1", &[], &["for=unknown"], &lo));
        assert!(!yes("127.0.0.1", &["nonsense"], &[], &lo));
        // Hops that are themselves allowed.
        assert!(yes("127.0.0.1", &["127.0.0.1"], &[], &lo));
        assert!(yes("10.1.2.3", &["10.9.9.9, 127.0.0.1"], &[], &prom));
        assert!(yes(
            "127.0.0.1",
            &[],
            &["for=\"[::1]:80\";proto=http, for=10.0.0.7"],
            &prom
        ));
        assert!(yes("127.0.0.1", &[], &["for=\"127.0.0.1:4711\""], &lo));
    }
    use crate::config::parse_proxy;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn peer_is_used_unless_it_is_a_trusted_proxy() {
        let lb = vec![parse_proxy("10.0.0.0/8").unwrap()];
        // No proxies configured: the header is ignored (anyone could send it).
        assert_eq!(
            client_ip(Some(ip("203.0.113.9")), &["198.51.100.1"], &[]),
            Some(ip("203.0.113.9"))
        );
        // A direct client is not a proxy even when proxies are configured.
        assert_eq!(
            client_ip(Some(ip("203.0.113.9")), &["198.51.100.1"], &lb),
            Some(ip("203.0.113.9"))
        );
        // From the load balancer: the address it saw.
        assert_eq!(
            client_ip(Some(ip("10.1.2.3")), &["198.51.100.1"], &lb),
            Some(ip("198.51.100.1"))
        );
        // From the load balancer without the header: the load balancer.
        assert_eq!(
            client_ip(Some(ip("10.1.2.3")), &[], &lb),
            Some(ip("10.1.2.3"))
        );
        assert_eq!(client_ip(None, &[], &lb), None);
    }

    #[test]
    fn spoofed_entries_on_the_left_are_ignored() {
        let lb = vec![
            parse_proxy("10.0.0.0/8").unwrap(),
            parse_proxy("192.0.2.1").unwrap(),
        ];
        // The client sent "1.1.1.1" itself; the edge proxy appended the real address, and an
        // inner proxy (trusted) appended the edge's.
        assert_eq!(
            client_ip(
                Some(ip("10.1.2.3")),
                &["1.1.1.1, 198.51.100.7, 192.0.2.1"],
                &lb
            ),
            Some(ip("198.51.100.7"))
        );
        // Two headers are one list.
        assert_eq!(
            client_ip(Some(ip("10.1.2.3")), &["1.1.1.1", "198.51.100.7"], &lb),
            Some(ip("198.51.100.7"))
        );
        // Garbage stops the walk at the last address vouched for.
        assert_eq!(
            client_ip(Some(ip("10.1.2.3")), &["198.51.100.7, nonsense"], &lb),
            Some(ip("10.1.2.3"))
        );
        assert_eq!(
            client_ip(Some(ip("10.1.2.3")), &["nonsense, 198.51.100.7"], &lb),
            Some(ip("198.51.100.7"))
        );
        // IPv4 peers of a server bound to [::] arrive IPv4-mapped.
        assert_eq!(
            client_ip(Some(ip("::ffff:10.1.2.3")), &["198.51.100.7"], &lb),
            Some(ip("198.51.100.7"))
        );
        assert_eq!(
            client_ip(Some(ip("::ffff:203.0.113.9")), &[], &lb),
            Some(ip("203.0.113.9"))
        );
        // Every hop a proxy: the left-most one.
        assert_eq!(
            client_ip(Some(ip("10.1.2.3")), &["10.9.9.9"], &lb),
            Some(ip("10.9.9.9"))
        );
    }

    #[test]
    fn proxies_parse_as_addresses_or_networks() {
        assert!(parse_proxy("10.0.0.5").unwrap().contains(&ip("10.0.0.5")));
        assert!(!parse_proxy("10.0.0.5").unwrap().contains(&ip("10.0.0.6")));
        assert!(parse_proxy(" fd00::/8 ").unwrap().contains(&ip("fd12::1")));
        assert!(parse_proxy("10.0.0.0/33").is_err());
        assert!(parse_proxy("proxy.internal").is_err());
    }
}

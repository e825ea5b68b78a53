//! The generated OpenAPI document, completed with what every operation shares: the problem
//! responses that extractors and the auth layer give on any route (a handler's own list
//! names only its domain outcomes). Also answers "which methods does this path have?" for
//! the 405 fallback.

use actix_web::http::Method;
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::{OpenApi, Ref, RefOr, ResponseBuilder};

/// Add the shared 400/401/404/413/422 responses where an operation can give them.
pub fn complete(mut doc: OpenApi) -> OpenApi {
    for (path, item) in doc.paths.paths.iter_mut() {
        let has_path_params = path.contains('{');
        for (_, op) in operations_mut(item) {
            let has_body = op.request_body.is_some();
            let has_params = op.parameters.as_ref().is_some_and(|p| !p.is_empty());
            let secured = op.security.as_ref().is_none_or(|reqs| {
                reqs.iter()
                    .any(|r| serde_json::to_value(r).is_ok_and(|v| v != serde_json::json!({})))
            });
            let mut add = |status: &str, description: &str| {
                op.responses
                    .responses
                    .entry(status.to_string())
                    .or_insert_with(|| {
                        RefOr::T(
                            ResponseBuilder::new()
                                .description(description)
                                .content(
                                    "application/problem+json",
                                    ContentBuilder::new()
                                        .schema(Some(Ref::from_schema_name("Problem")))
                                        .build(),
                                )
                                .build(),
                        )
                    });
            };
            if has_body || has_params {
                add("400", "Unreadable request: malformed JSON, or a path or query value of the wrong type (`validation_failed`)");
            }
            if secured {
                add("401", "Not signed in: no token, or one that is invalid or expired (`unauthenticated`)");
            }
            if has_path_params {
                add(
                    "404",
                    "No such record, or not one the caller may see (`not_found`)",
                );
            }
            if has_body {
                add(
                    "413",
                    "The body is larger than 256 KB (`payload_too_large`)",
                );
                add(
                    "422",
                    "A field breaks a rule; `errors` names each field (`validation_failed`)",
                );
            } else if has_params && !has_path_params {
                add(
                    "422",
                    "A query parameter breaks a rule (`validation_failed`)",
                );
            }
        }
    }
    doc
}

fn operations_mut(item: &mut PathItem) -> Vec<(Method, &mut Operation)> {
    [
        (Method::GET, item.get.as_mut()),
        (Method::PUT, item.put.as_mut()),
        (Method::POST, item.post.as_mut()),
        (Method::DELETE, item.delete.as_mut()),
        (Method::PATCH, item.patch.as_mut()),
    ]
    .into_iter()
    .filter_map(|(m, op)| op.map(|op| (m, op)))
    .collect()
}

fn methods_of(item: &PathItem) -> Vec<&'static str> {
    [
        ("GET", item.get.is_some()),
        ("PUT", item.put.is_some()),
        ("POST", item.post.is_some()),
        ("DELETE", item.delete.is_some()),
        ("PATCH", item.patch.is_some()),
    ]
    .into_iter()
    .filter_map(|(m, present)| present.then_some(m))
    .collect()
}

/// How `template` (`/api/teams/{team_id}`) matches `path`: None if it does not, else the
/// number of literal segments that matched (a `{…}` segment matches any one segment).
pub fn template_match(template: &str, path: &str) -> Option<usize> {
    let mut t = template.trim_matches('/').split('/');
    let mut p = path.trim_matches('/').split('/');
    let mut literal = 0;
    loop {
        match (t.next(), p.next()) {
            (None, None) => return Some(literal),
            (Some(ts), Some(_)) if ts.starts_with('{') => {}
            (Some(ts), Some(ps)) if ts == ps => literal += 1,
            _ => return None,
        }
    }
}

/// The methods of the most specific documented paths matching `path`, e.g. `GET, PATCH`
/// (`/contacts/reassign` is the reassign route, not a contact id); None when none matches.
pub fn allowed_methods(doc: &OpenApi, path: &str) -> Option<String> {
    let matches: Vec<(usize, &PathItem)> = doc
        .paths
        .paths
        .iter()
        .filter_map(|(template, item)| template_match(template, path).map(|n| (n, item)))
        .collect();
    let best = matches.iter().map(|(n, _)| *n).max()?;
    let mut methods: Vec<&str> = matches
        .iter()
        .filter(|(n, _)| *n == best)
        .flat_map(|(_, item)| methods_of(item))
        .collect();
    methods.sort();
    methods.dedup();
    Some(methods.join(", "))
}

/// 405 when `req`'s path is documented but not for its method.
pub fn method_not_allowed(req: &actix_web::HttpRequest) -> Option<crate::error::AppError> {
    let doc = req.app_data::<actix_web::web::Data<OpenApi>>()?;
    let allow = allowed_methods(doc, req.path())?;
    let method = req.method().as_str();
    (!allow.split(", ").any(|m| m == method)).then(|| crate::error::AppError::MethodNotAllowed {
        method: method.to_string(),
        allow,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates() {
        assert_eq!(
            template_match("/api/teams/{team_id}", "/api/teams/abc"),
            Some(2)
        );
        assert_eq!(template_match("/healthz", "/healthz/"), Some(1));
        assert_eq!(template_match("/api/teams/{team_id}", "/api/teams"), None);
        assert_eq!(
            template_match("/api/teams/{team_id}", "/api/teams/a/b"),
            None
        );
        assert_eq!(
            template_match("/api/teams/{team_id}/board", "/api/teams/a/boards"),
            None
        );
        let reassign = "/api/teams/t/contacts/reassign";
        assert!(
            template_match("/api/teams/{t}/contacts/reassign", reassign)
                > template_match("/api/teams/{t}/contacts/{c}", reassign)
        );
    }
}

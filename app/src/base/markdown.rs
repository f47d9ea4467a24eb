//! Markdown to safe HTML. Runs when an article is saved (and for the
//! editor's preview); pages only ever show the stored result.

use crate::base::media::ImageRef;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::{collections::HashMap, sync::LazyLock};

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS
}

/// The allow-list: Markdown may carry raw HTML, so everything is cleaned.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tag_attributes("img", &["loading", "decoding", "srcset", "sizes"])
        // Footnote links point at these ids.
        .add_tag_attributes("div", &["id"])
        .add_tag_attributes("sup", &["id"])
        .link_rel(Some("noopener noreferrer nofollow"))
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        // srcset is not checked as a URL by ammonia: keep it only for our own files.
        .attribute_filter(|element, attribute, value| {
            if element == "img" && attribute == "srcset" {
                let ours = value.split(',').all(|candidate| {
                    candidate
                        .trim()
                        .starts_with(crate::base::media::PUBLIC_PREFIX)
                        && !candidate.contains("//")
                });
                return ours.then(|| value.into());
            }
            Some(value.into())
        });
    builder
});

/// Cleans any HTML down to the allow-list.
pub fn sanitize(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

/// The addresses of the images a Markdown text shows, in order.
pub fn image_urls(markdown: &str) -> Vec<String> {
    Parser::new_ext(markdown, options())
        .filter_map(|event| match event {
            Event::Start(Tag::Image { dest_url, .. }) => Some(dest_url.to_string()),
            _ => None,
        })
        .collect()
}

/// Renders Markdown to sanitised HTML. The text's top heading level becomes
/// `h2` (the page's title is its only `h1`, and levels are not skipped);
/// images we host get their `srcset`.
pub fn render(markdown: &str, images: &HashMap<String, ImageRef>) -> String {
    let top = Parser::new_ext(markdown, options())
        .filter_map(|event| match event {
            Event::Start(Tag::Heading { level, .. }) => Some(level as usize),
            _ => None,
        })
        .min()
        .unwrap_or(2);
    let demote = |level: HeadingLevel| shift(level, top);
    let mut events = Vec::new();
    let mut parser = Parser::new_ext(markdown, options());
    while let Some(event) = parser.next() {
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                events.push(Event::Start(Tag::Heading {
                    level: demote(level),
                    id,
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                events.push(Event::End(TagEnd::Heading(demote(level))));
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                // The alt text is the image's inner text, up to its end tag.
                let mut alt = String::new();
                for inner in parser.by_ref() {
                    match inner {
                        Event::End(TagEnd::Image) => break,
                        Event::Text(text) | Event::Code(text) => alt.push_str(&text),
                        _ => {}
                    }
                }
                events.push(Event::Html(CowStr::from(image_html(
                    &dest_url,
                    &title,
                    &alt,
                    images.get(dest_url.as_ref()),
                ))));
            }
            other => events.push(other),
        }
    }
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    sanitize(&html)
}

/// Moves `level` so that `top` lands on `h2`.
fn shift(level: HeadingLevel, top: usize) -> HeadingLevel {
    match (level as usize + 2).saturating_sub(top) {
        0..=2 => HeadingLevel::H2,
        3 => HeadingLevel::H3,
        4 => HeadingLevel::H4,
        5 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

fn image_html(src: &str, title: &str, alt: &str, hosted: Option<&ImageRef>) -> String {
    use html_escape::encode_double_quoted_attribute as attr;
    let title = if title.is_empty() {
        String::new()
    } else {
        format!(" title=\"{}\"", attr(title))
    };
    match hosted {
        Some(image) => format!(
            "<img src=\"{}\" srcset=\"{}\" sizes=\"(min-width: 768px) 720px, 100vw\" width=\"{}\" height=\"{}\" alt=\"{}\"{title} loading=\"lazy\" decoding=\"async\">",
            attr(&image.src),
            attr(&image.srcset),
            image.width,
            image.height,
            attr(alt),
        ),
        None => format!(
            "<img src=\"{}\" alt=\"{}\"{title} loading=\"lazy\" decoding=\"async\">",
            attr(src),
            attr(alt)
        ),
    }
}

/// Minutes to read at 200 words a minute, at least one.
pub fn reading_minutes(markdown: &str) -> i32 {
    let words: usize = Parser::new_ext(markdown, options())
        .map(|event| match event {
            Event::Text(text) | Event::Code(text) => text.split_whitespace().count(),
            _ => 0,
        })
        .sum();
    words.div_ceil(200).max(1) as i32
}

/// A URL-safe slug: "L'été à Besançon & co" → "l-ete-a-besancon-et-co".
pub fn slugify(text: &str) -> String {
    let slug = slug::slugify(text.replace('&', " et "));
    slug.chars()
        .take(80)
        .collect::<String>()
        .trim_end_matches('-')
        .to_owned()
}

/// Plain text of a Markdown excerpt or body, for meta descriptions.
pub fn plain_text(markdown: &str, max_chars: usize) -> String {
    let mut text = String::new();
    for event in Parser::new_ext(markdown, options()) {
        if let Event::Text(t) | Event::Code(t) = event {
            if !text.is_empty() && !text.ends_with(' ') {
                text.push(' ');
            }
            text.push_str(t.trim());
        }
        if text.chars().count() > max_chars {
            break;
        }
    }
    truncate(&text, max_chars)
}

/// Cuts at a word boundary and adds an ellipsis when it had to cut.
pub fn truncate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max_chars).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.']))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(md: &str) -> String {
        render(md, &HashMap::new())
    }

    #[test]
    fn scripts_handlers_and_javascript_links_come_out_clean() {
        let html = clean(
            "Bonjour <script>alert('x')</script>\n\n\
             <img src=\"x.png\" onerror=\"alert(1)\">\n\n\
             [clic](javascript:alert(1)) <a href=\"JaVaScRiPt:alert(2)\" onclick=\"alert(3)\">lien</a>\n\n\
             <iframe src=\"https://evil.example\"></iframe><style>body{}</style>\n\n\
             ![image](javascript:alert(4))\n\n\
             <img srcset=\"https://evil.example/a.png 1x\" src=\"/medias/a.webp\">",
        );
        let lower = html.to_lowercase();
        for forbidden in [
            "<script",
            "onerror",
            "onclick",
            "javascript:",
            "<iframe",
            "<style",
            "evil.example",
        ] {
            assert!(!lower.contains(forbidden), "{forbidden} survived in {html}");
        }
        assert!(html.contains("Bonjour"));
        assert!(html.contains(">clic</a>") || html.contains("clic"));
        assert!(html.contains("<img src=\"/medias/a.webp\""), "{html}");
    }

    #[test]
    fn links_get_a_safe_rel_and_headings_start_at_h2() {
        let html = clean("# Titre\n\n## Section\n\n[site](https://exemple.fr)");
        assert!(html.contains("<h2>Titre</h2>"), "{html}");
        assert!(html.contains("<h3>Section</h3>"), "{html}");
        assert!(!html.contains("<h1"));
        assert!(
            html.contains("rel=\"noopener noreferrer nofollow\""),
            "{html}"
        );
        let html = clean("## Partie\n\n### Détail\n\n#### Note");
        assert!(
            html.contains("<h2>Partie</h2>")
                && html.contains("<h3>Détail</h3>")
                && html.contains("<h4>Note</h4>"),
            "{html}"
        );
    }

    #[test]
    fn hosted_images_get_their_variants() {
        let image = ImageRef::from_variants(
            1,
            &[
                crate::base::media::Variant {
                    width: 320,
                    height: 160,
                    key: "images/ab-320.webp".into(),
                    bytes: 1,
                },
                crate::base::media::Variant {
                    width: 640,
                    height: 320,
                    key: "images/ab-640.webp".into(),
                    bytes: 1,
                },
            ],
        )
        .expect("variants");
        let mut images = HashMap::new();
        images.insert("/medias/images/ab-640.webp".to_owned(), image);
        let md = "![Un \"atelier\" <b>](/medias/images/ab-640.webp)";
        assert_eq!(image_urls(md), vec!["/medias/images/ab-640.webp"]);
        let html = render(md, &images);
        assert!(
            html.contains(
                "srcset=\"/medias/images/ab-320.webp 320w, /medias/images/ab-640.webp 640w\""
            ),
            "{html}"
        );
        assert!(html.contains("width=\"640\" height=\"320\""), "{html}");
        assert!(html.contains("alt=\"Un &quot;atelier&quot; \""), "{html}");
    }

    #[test]
    fn french_slugs() {
        assert_eq!(
            slugify("L'été à Besançon : œuvres & cœurs"),
            "l-ete-a-besancon-oeuvres-et-coeurs"
        );
        assert_eq!(
            slugify("  CAP Petite Enfance (2026) !  "),
            "cap-petite-enfance-2026"
        );
        assert!(slugify(&"mot ".repeat(40)).len() <= 80);
        assert!(!slugify(&"mot ".repeat(40)).ends_with('-'));
    }

    #[test]
    fn reading_time_and_excerpts() {
        assert_eq!(reading_minutes("court"), 1);
        assert_eq!(reading_minutes(&"mot ".repeat(401)), 3);
        assert_eq!(truncate("Un deux trois quatre", 12), "Un deux…");
        assert_eq!(plain_text("**Gras** et `code`", 100), "Gras et code");
    }
}

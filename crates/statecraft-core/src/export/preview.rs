//! The record as comrak parses it, flattened into blocks a GUI can draw (the export screen's preview)
//! and a heading outline (what the tests check the layout against). Both come from the same parse as
//! the HTML, so the preview shows what the file says.

use comrak::nodes::{AstNode, ListType, NodeValue};

use super::html::comrak_options;

/// One block of a record, ready to draw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PreviewBlock {
    Heading {
        level: u8,
        text: String,
    },
    Paragraph(String),
    /// A list item's text; `depth` 1 for a top-level list; `number` for ordered lists.
    Item {
        depth: usize,
        number: Option<usize>,
        text: String,
    },
    /// A fenced block: its info string (`mermaid`, `json`) and content.
    Code {
        info: String,
        text: String,
    },
    /// Rows of cells; the first row is the header.
    Table(Vec<Vec<String>>),
    Image {
        alt: String,
        url: String,
    },
    /// A footnote: the source it names and its text.
    Footnote {
        name: String,
        text: String,
    },
    Rule,
}

/// A heading and the headings under it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub children: Vec<Heading>,
}

/// The blocks of `markdown`, in order (the front matter is left out).
pub fn blocks(markdown: &str) -> Vec<PreviewBlock> {
    let arena = comrak::Arena::new();
    let root = comrak::parse_document(&arena, markdown, &comrak_options());
    let mut out = Vec::new();
    for node in root.children() {
        block(node, 0, &mut out);
    }
    out
}

fn block<'a>(node: &'a AstNode<'a>, depth: usize, out: &mut Vec<PreviewBlock>) {
    let value = node.data().value.clone();
    match value {
        NodeValue::Heading(h) => out.push(PreviewBlock::Heading {
            level: h.level,
            text: inline_text(node),
        }),
        NodeValue::Paragraph => {
            // A paragraph holding only an image is shown as the image.
            let mut children = node.children();
            if let (Some(only), None) = (children.next(), children.next())
                && let NodeValue::Image(link) = &only.data().value
            {
                out.push(PreviewBlock::Image {
                    alt: inline_text(only),
                    url: link.url.clone(),
                });
                return;
            }
            out.push(PreviewBlock::Paragraph(inline_text(node)));
        }
        NodeValue::List(_) => {
            for item in node.children() {
                let number = match &item.data().value {
                    NodeValue::Item(list) if list.list_type == ListType::Ordered => {
                        Some(list.start)
                    }
                    _ => None,
                };
                let mut text = String::new();
                for child in item.children() {
                    if matches!(child.data().value, NodeValue::Paragraph) {
                        if !text.is_empty() {
                            text.push(' ');
                        }
                        text += &inline_text(child);
                    }
                }
                out.push(PreviewBlock::Item {
                    depth: depth + 1,
                    number,
                    text,
                });
                for child in item.children() {
                    if !matches!(child.data().value, NodeValue::Paragraph) {
                        block(child, depth + 1, out);
                    }
                }
            }
        }
        NodeValue::CodeBlock(code) => out.push(PreviewBlock::Code {
            info: code.info.clone(),
            text: code.literal.clone(),
        }),
        NodeValue::Table(_) => {
            let rows = node
                .children()
                .map(|row| row.children().map(inline_text).collect())
                .collect();
            out.push(PreviewBlock::Table(rows));
        }
        NodeValue::FootnoteDefinition(def) => {
            let text = node
                .children()
                .map(inline_text)
                .collect::<Vec<_>>()
                .join(" ");
            out.push(PreviewBlock::Footnote {
                name: def.name.clone(),
                text,
            });
        }
        NodeValue::ThematicBreak => out.push(PreviewBlock::Rule),
        NodeValue::BlockQuote => {
            for child in node.children() {
                block(child, depth, out);
            }
        }
        _ => {}
    }
}

/// The text of a node's inlines, footnote references shown as `[name]`.
fn inline_text<'a>(node: &'a AstNode<'a>) -> String {
    let mut text = String::new();
    for n in node.descendants().skip(1) {
        match &n.data().value {
            NodeValue::Text(t) => text += t,
            NodeValue::Code(c) => text += &c.literal,
            NodeValue::SoftBreak | NodeValue::LineBreak => text.push(' '),
            NodeValue::FootnoteReference(r) => text += &format!("[{}]", r.name),
            _ => {}
        }
    }
    text
}

/// The headings of `markdown` as a tree: each heading holds the deeper ones that follow it.
pub fn outline(markdown: &str) -> Vec<Heading> {
    let flat: Vec<(u8, String)> = blocks(markdown)
        .into_iter()
        .filter_map(|b| match b {
            PreviewBlock::Heading { level, text } => Some((level, text)),
            _ => None,
        })
        .collect();
    let mut roots: Vec<Heading> = Vec::new();
    for (level, text) in flat {
        insert(
            &mut roots,
            Heading {
                level,
                text,
                children: Vec::new(),
            },
        );
    }
    roots
}

fn insert(siblings: &mut Vec<Heading>, heading: Heading) {
    match siblings.last_mut() {
        Some(last) if last.level < heading.level => insert(&mut last.children, heading),
        _ => siblings.push(heading),
    }
}

/// Every footnote reference in `markdown`: the source ids a record cites.
pub fn cited_sources(markdown: &str) -> Vec<String> {
    let arena = comrak::Arena::new();
    let root = comrak::parse_document(&arena, markdown, &comrak_options());
    let mut names: Vec<String> = Vec::new();
    for node in root.descendants() {
        if let NodeValue::FootnoteReference(r) = &node.data().value
            && !names.contains(&r.name)
        {
            names.push(r.name.clone());
        }
    }
    names
}

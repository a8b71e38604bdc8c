//! The inheritance graph: a layered drawing of the `extends` edges,
//! parents above children, laid out by Sugiyama's method (the
//! `rust-sugiyama` crate: layering, crossing reduction, Brandes–Köpf
//! coordinates) and drawn as inline SVG.
//!
//! Each profile is one node (`<g class="node" data-profile="…">`) and each
//! `extends` one edge (`<path class="edge" data-parent="…" data-child="…">`).
//! Profiles that share no edge are separate components; they are packed
//! left to right in shelves, in the order of the matrix's rows.

use std::collections::HashMap;

use maud::{Markup, html};
use petgraph::stable_graph::{NodeIndex, StableDiGraph};
use rust_sugiyama::configure::{Config, RankingType};

use super::Review;

/// Height of a node's box.
const NODE_HEIGHT: f64 = 44.0;
/// Width of one character of a label, at the graph's font size.
const CHAR_WIDTH: f64 = 7.2;
/// Space left and right of a label inside its box.
const PADDING: f64 = 14.0;
/// Space between the boxes of a layer, and between layers.
const SPACING: f64 = 36.0;
/// Space around the drawing and between components.
const MARGIN: f64 = 16.0;
/// Shelves of components are at least this wide before they wrap.
const SHELF_WIDTH: f64 = 1100.0;
/// Labels longer than this are cut, the full name staying in the tooltip.
const LABEL_CHARS: usize = 34;

/// Where the graph's boxes go, in SVG user units.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// Width of the drawing.
    pub width: f64,
    /// Height of the drawing.
    pub height: f64,
    /// One box per profile, in the order of [`Review::profiles`].
    pub nodes: Vec<Node>,
    /// One edge per `extends`, `(parent, child)` indices into `nodes`.
    pub edges: Vec<(usize, usize)>,
}

/// A profile's box: its top-left corner and size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Node {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

/// The label drawn in a profile's box: its name, cut when very long.
pub fn label(name: &str) -> String {
    if name.chars().count() <= LABEL_CHARS {
        return name.to_owned();
    }
    let cut: String = name.chars().take(LABEL_CHARS - 1).collect();
    format!("{cut}…")
}

fn members_line(members: usize) -> String {
    match members {
        1 => "1 member".to_owned(),
        n => format!("{n} members"),
    }
}

/// The second line of a box: its members, and whether it is admin-equivalent.
fn sub_line(profile: &super::ProfileRow) -> String {
    let mut line = members_line(profile.members);
    if profile.admin_equivalent {
        line.push_str(" · admin");
    }
    line
}

/// Lays out the profiles of `review` and their `extends` edges.
pub fn layout(review: &Review) -> Layout {
    let index: HashMap<&str, usize> = review
        .profiles
        .iter()
        .enumerate()
        .map(|(i, p)| (p.name.as_str(), i))
        .collect();
    let mut edges = Vec::new();
    for (child, profile) in review.profiles.iter().enumerate() {
        for parent in &profile.extends {
            if let Some(&parent) = index.get(parent.as_str()) {
                edges.push((parent, child));
            }
        }
    }
    let sizes: Vec<(f64, f64)> = review
        .profiles
        .iter()
        .map(|p| {
            let chars = label(&p.name)
                .chars()
                .count()
                .max(sub_line(p).chars().count() + 2);
            (
                (chars as f64 * CHAR_WIDTH + 2.0 * PADDING).round(),
                NODE_HEIGHT,
            )
        })
        .collect();
    let centres = layered(&sizes, &edges).unwrap_or_else(|| fallback(&sizes, &edges));
    pack(&sizes, centres, edges)
}

/// The components of the graph, each as `(row, centre)` pairs in the
/// crate's coordinates; `None` when the layout could not be made.
type Components = Vec<Vec<(usize, (f64, f64))>>;

fn layered(sizes: &[(f64, f64)], edges: &[(usize, usize)]) -> Option<Components> {
    let mut graph: StableDiGraph<usize, ()> = StableDiGraph::new();
    for row in 0..sizes.len() {
        graph.add_node(row);
    }
    for &(parent, child) in edges {
        graph.add_edge(NodeIndex::new(parent), NodeIndex::new(child), ());
    }
    let config = Config {
        vertex_spacing: SPACING,
        ranking_type: RankingType::MinimizeEdgeLength,
        ..Config::default()
    };
    let size = |_: NodeIndex, row: &usize| sizes[*row];
    // The crate asserts its own invariants; a failure there must not take
    // the report down, so it falls back to a plainer layering.
    let run = std::panic::AssertUnwindSafe(|| rust_sugiyama::from_graph(&graph, &size, &config));
    let found = std::panic::catch_unwind(run).ok()?;
    let components = found
        .into_iter()
        .map(|(nodes, _, _)| {
            nodes
                .into_iter()
                .map(|(node, centre)| (node.index(), centre))
                .collect()
        })
        .collect();
    Some(components)
}

/// The fallback layering, placed: for tests.
#[cfg(test)]
pub(super) fn fallback_layout(sizes: &[(f64, f64)], edges: Vec<(usize, usize)>) -> Layout {
    let components = fallback(sizes, &edges);
    pack(sizes, components, edges)
}

/// Every node on the layer of its longest path from a root, in row order:
/// one component holding everything.
fn fallback(sizes: &[(f64, f64)], edges: &[(usize, usize)]) -> Components {
    let mut rank = vec![0usize; sizes.len()];
    // At most one pass per node settles every longest path of a DAG.
    for _ in 0..sizes.len() {
        let mut changed = false;
        for &(parent, child) in edges {
            if rank[child] <= rank[parent] && rank[parent] < sizes.len() {
                rank[child] = rank[parent] + 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut next_x = vec![0.0f64; sizes.len() + 1];
    let nodes = (0..sizes.len())
        .map(|row| {
            let layer = rank[row];
            let x = next_x[layer] + sizes[row].0 / 2.0;
            next_x[layer] += sizes[row].0 + SPACING;
            (row, (x, layer as f64 * (NODE_HEIGHT + SPACING)))
        })
        .collect();
    vec![nodes]
}

/// A component's width and height, and each of its rows with its box's
/// top-left corner inside the component.
type Placed = (f64, f64, Vec<(usize, f64, f64)>);

/// Places each component's boxes from their centres, components left to
/// right in shelves, in the order of their first row.
fn pack(sizes: &[(f64, f64)], components: Components, edges: Vec<(usize, usize)>) -> Layout {
    let mut components: Vec<Vec<(usize, (f64, f64))>> = components
        .into_iter()
        .filter(|c| !c.is_empty())
        .map(|mut c| {
            c.sort_by_key(|(row, _)| *row);
            c
        })
        .collect();
    components.sort_by_key(|c| c.first().map_or(usize::MAX, |(row, _)| *row));
    let boxes: Vec<Placed> = components
        .iter()
        .map(|component| {
            let left = component
                .iter()
                .map(|(row, (x, _))| x - sizes[*row].0 / 2.0)
                .fold(f64::INFINITY, f64::min);
            let top = component
                .iter()
                .map(|(row, (_, y))| y - sizes[*row].1 / 2.0)
                .fold(f64::INFINITY, f64::min);
            let placed: Vec<(usize, f64, f64)> = component
                .iter()
                .map(|(row, (x, y))| {
                    (
                        *row,
                        x - sizes[*row].0 / 2.0 - left,
                        y - sizes[*row].1 / 2.0 - top,
                    )
                })
                .collect();
            let width = placed
                .iter()
                .map(|(row, x, _)| x + sizes[*row].0)
                .fold(0.0, f64::max);
            let height = placed
                .iter()
                .map(|(row, _, y)| y + sizes[*row].1)
                .fold(0.0, f64::max);
            (width, height, placed)
        })
        .collect();
    let shelf = boxes.iter().map(|b| b.0).fold(SHELF_WIDTH, f64::max);
    let mut nodes = vec![
        Node {
            x: 0.0,
            y: 0.0,
            width: 0.0,
            height: 0.0
        };
        sizes.len()
    ];
    let (mut x, mut y, mut shelf_height, mut width) = (MARGIN, MARGIN, 0.0f64, 0.0f64);
    for (w, h, placed) in boxes {
        if x > MARGIN && x + w > MARGIN + shelf {
            x = MARGIN;
            y += shelf_height + SPACING;
            shelf_height = 0.0;
        }
        for (row, dx, dy) in placed {
            nodes[row] = Node {
                x: (x + dx).round(),
                y: (y + dy).round(),
                width: sizes[row].0,
                height: sizes[row].1,
            };
        }
        width = width.max(x + w);
        shelf_height = shelf_height.max(h);
        x += w + SPACING;
    }
    Layout {
        width: (width + MARGIN).round(),
        height: (y + shelf_height + MARGIN).round(),
        nodes,
        edges,
    }
}

/// The graph as inline SVG.
pub fn svg(review: &Review, layout: &Layout) -> Markup {
    let title = format!(
        "inheritance graph: {} profiles, {} extends edges",
        layout.nodes.len(),
        layout.edges.len()
    );
    html! {
        svg class="graph" role="img"
            width=(layout.width) height=(layout.height)
            viewBox=(format!("0 0 {} {}", layout.width, layout.height))
            aria-label=(title) {
            defs {
                marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5"
                    markerWidth="7" markerHeight="7" orient="auto-start-reverse" {
                    path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead" {}
                }
            }
            g class="edges" {
                @for &(parent, child) in &layout.edges {
                    @let (p, c) = (&layout.nodes[parent], &layout.nodes[child]);
                    path class="edge"
                        data-parent=(review.profiles[parent].name)
                        data-child=(review.profiles[child].name)
                        d=(edge_path(p, c))
                        marker-end="url(#arrow)" {
                        title { (review.profiles[child].name) " extends " (review.profiles[parent].name) }
                    }
                }
            }
            g class="nodes" {
                @for (row, node) in layout.nodes.iter().enumerate() {
                    @let profile = &review.profiles[row];
                    g.node.builtin[profile.builtin].admin[profile.admin_equivalent]
                        data-profile=(profile.name)
                        data-members=(profile.members)
                        transform=(format!("translate({} {})", node.x, node.y)) {
                        title { (tooltip(profile)) }
                        rect width=(node.width) height=(node.height) rx="6" {}
                        text class="name" x=(node.width / 2.0) y="18" { (label(&profile.name)) }
                        text class="sub" x=(node.width / 2.0) y="34" { (sub_line(profile)) }
                    }
                }
            }
        }
    }
}

fn tooltip(profile: &super::ProfileRow) -> String {
    let mut text = profile.name.clone();
    text.push_str(if profile.builtin {
        " (built-in)"
    } else {
        " (custom)"
    });
    if profile.admin_equivalent {
        text.push_str(", admin-equivalent");
    }
    text.push_str(&format!(", {}", members_line(profile.members)));
    if !profile.extends.is_empty() {
        text.push_str(&format!(", extends {}", profile.extends.join(", ")));
    }
    text
}

/// A curve from the bottom of the parent's box to the top of the child's.
fn edge_path(parent: &Node, child: &Node) -> String {
    let (x1, y1) = (parent.x + parent.width / 2.0, parent.y + parent.height);
    let (x2, y2) = (child.x + child.width / 2.0, child.y);
    let mid = ((y1 + y2) / 2.0).round();
    format!("M {x1} {y1} C {x1} {mid}, {x2} {mid}, {x2} {y2}")
}

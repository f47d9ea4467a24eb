//! The scripts a page starts: the hydration bundle for the pages behind
//! sign-in (`app::hydrates`), a small enhancement script for every other page.
//!
//! Loads the hydration bundle only once the page has loaded and the browser
//! is idle. Server-rendered pages work without it, and fetching WebAssembly
//! earlier would compete with the page's own content (and its largest
//! paint) on slow connections.
//!
//! The bundle is split (`cargo leptos build --split`): the main file holds
//! the runtime, the layout and the router; each route's code is a chunk of
//! its own. Providing the split manifest here lets the server add a preload
//! for the chunks of the page it renders, as Leptos' `HydrationScripts` does.

use leptos::{config::LeptosOptions, prelude::*};
use std::{collections::HashMap, sync::OnceLock};

/// The file names cargo-leptos wrote for one build (hashed in release).
struct Bundle {
    js: String,
    wasm: String,
    /// The split loader and the route → chunks map, when the build was split.
    split: Option<leptos::WasmSplitManifest>,
}

fn bundle(options: &LeptosOptions) -> &'static Bundle {
    static BUNDLE: OnceLock<Bundle> = OnceLock::new();
    BUNDLE.get_or_init(|| read_bundle(options))
}

fn read_bundle(options: &LeptosOptions) -> Bundle {
    let mut js = options.output_name.to_string();
    let mut wasm = options.output_name.to_string();
    let mut split_js = "__wasm_split.______________________.js".to_owned();
    let mut manifest = "__wasm_split_manifest.json".to_owned();
    if options.hash_files {
        let hashes = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())))
            .and_then(|path| std::fs::read_to_string(path).ok())
            .unwrap_or_default();
        for (file, hash) in hashes.lines().filter_map(|line| line.split_once(':')) {
            let hash = hash.trim();
            match file.trim() {
                "js" => js.push_str(&format!(".{hash}")),
                "wasm" => wasm.push_str(&format!(".{hash}")),
                "split" => split_js = format!("__wasm_split.{hash}.js"),
                "manifest" => manifest = format!("__wasm_split_manifest.{hash}.json"),
                _ => {}
            }
        }
    } else if option_env!("LEPTOS_OUTPUT_NAME").is_none() {
        // Built without cargo-leptos: wasm-bindgen's default name.
        wasm.push_str("_bg");
    }
    let pkg = options.site_pkg_dir.to_string();
    let manifest_path = std::path::Path::new(options.site_root.as_ref())
        .join(&pkg)
        .join(manifest);
    let split = std::fs::read_to_string(manifest_path)
        .ok()
        .and_then(|text| serde_json::from_str::<HashMap<String, Vec<String>>>(&text).ok())
        .map(|chunks| {
            leptos::WasmSplitManifest(leptos::reactive::owner::ArcStoredValue::new((
                format!("/{pkg}"),
                chunks,
                split_js,
            )))
        });
    Bundle { js, wasm, split }
}

/// Replaces Leptos' `HydrationScripts`: no preload of the main file,
/// hydration after `load`.
#[component]
pub fn LazyHydrationScripts(options: LeptosOptions) -> impl IntoView {
    let bundle = bundle(&options);
    if let Some(split) = &bundle.split {
        provide_context(split.clone());
    }
    let (js, wasm) = (&bundle.js, &bundle.wasm);
    let pkg = options.site_pkg_dir.to_string();
    let script = format!(
        "(() => {{\n\
           const hydrate = () => import('/{pkg}/{js}.js').then((m) =>\n\
             m.default({{ module_or_path: '/{pkg}/{wasm}.wasm' }}).then(() => m.hydrate()));\n\
           const idle = () => 'requestIdleCallback' in window\n\
             ? window.requestIdleCallback(hydrate, {{ timeout: 2000 }}) : setTimeout(hydrate, 0);\n\
           if (document.readyState === 'complete') idle(); else window.addEventListener('load', idle);\n\
         }})();"
    );
    let nonce = leptos::nonce::use_nonce();
    view! { <script type="module" nonce=nonce>{script}</script> }
}

/// The enhancement script (the mobile menu and the commune suggestions).
pub const ENHANCE_JS: &str = include_str!("enhance.js");

/// Where [`ENHANCE_JS`] is served: named after its content, so browsers and
/// proxies keep it for a year and a new version is a new address.
pub fn enhance_path() -> &'static str {
    static PATH: OnceLock<String> = OnceLock::new();
    PATH.get_or_init(|| {
        // FNV-1a: stable across builds and processes, unlike std's hasher.
        let hash = ENHANCE_JS
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
                (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
            });
        format!("/scripts/enhance-{hash:016x}.js")
    })
}

/// The pages that do not hydrate load the enhancement script as a file,
/// not inline: their HTML then holds nothing of one response alone (no CSP
/// nonce), so the server keeps it whole and compressed for every visitor
/// (`server::page_cache`).
#[component]
pub fn EnhancementScript() -> impl IntoView {
    view! { <script type="module" src=enhance_path()></script> }
}

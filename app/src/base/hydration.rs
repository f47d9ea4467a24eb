//! Loads the hydration bundle only once the page has loaded and the browser
//! is idle. Server-rendered pages work without it, and fetching 500 KB of
//! WebAssembly earlier would compete with the page's own content (and its
//! largest paint) on slow connections.

use leptos::{config::LeptosOptions, prelude::*};

/// The bundle's file names, as cargo-leptos wrote them (hashed in release).
fn bundle_names(options: &LeptosOptions) -> (String, String) {
    let mut js = options.output_name.to_string();
    let mut wasm = options.output_name.to_string();
    if options.hash_files {
        let hashes = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())))
            .and_then(|path| std::fs::read_to_string(path).ok())
            .unwrap_or_default();
        for (file, hash) in hashes.lines().filter_map(|line| line.split_once(':')) {
            match file.trim() {
                "js" => js.push_str(&format!(".{}", hash.trim())),
                "wasm" => wasm.push_str(&format!(".{}", hash.trim())),
                _ => {}
            }
        }
    } else if option_env!("LEPTOS_OUTPUT_NAME").is_none() {
        // Built without cargo-leptos: wasm-bindgen's default name.
        wasm.push_str("_bg");
    }
    (js, wasm)
}

/// Replaces Leptos' `HydrationScripts`: no preload, hydration after `load`.
#[component]
pub fn LazyHydrationScripts(options: LeptosOptions) -> impl IntoView {
    let (js, wasm) = bundle_names(&options);
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

//! Toasts: short, polite notices announced to screen readers.

use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ToastKind {
    Success,
    Error,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Toast {
    pub id: u64,
    pub kind: ToastKind,
    pub message: String,
}

/// Handle to the page's toast list, provided once by [`ToastRegion`]'s owner.
#[derive(Clone, Copy)]
pub struct Toasts {
    items: RwSignal<Vec<Toast>>,
    next_id: StoredValue<u64>,
}

/// How long a toast stays before it leaves by itself.
const TOAST_MS: u64 = 6000;

impl Toasts {
    pub fn new() -> Self {
        Self {
            items: RwSignal::new(Vec::new()),
            next_id: StoredValue::new(0),
        }
    }

    pub fn success(&self, message: impl Into<String>) {
        self.push(ToastKind::Success, message.into());
    }

    pub fn error(&self, message: impl Into<String>) {
        self.push(ToastKind::Error, message.into());
    }

    pub fn dismiss(&self, id: u64) {
        self.items.update(|items| items.retain(|t| t.id != id));
    }

    fn push(&self, kind: ToastKind, message: String) {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        self.items
            .update(|items| items.push(Toast { id, kind, message }));
        let this = *self;
        set_timeout(
            move || this.dismiss(id),
            std::time::Duration::from_millis(TOAST_MS),
        );
    }
}

impl Default for Toasts {
    fn default() -> Self {
        Self::new()
    }
}

/// The toasts of the current page; falls back to a detached list outside the shell.
pub fn use_toasts() -> Toasts {
    use_context::<Toasts>().unwrap_or_default()
}

/// Where toasts appear; rendered once by the layout.
#[component]
pub fn ToastRegion() -> impl IntoView {
    let toasts = use_toasts();
    view! {
        <div
            class="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex flex-col items-center gap-2 px-4"
            role="status"
            aria-live="polite"
            data-testid="toasts"
        >
            <For each=move || toasts.items.get() key=|t| t.id let:toast>
                <div class=match toast.kind {
                    ToastKind::Success => "toast toast-success",
                    ToastKind::Error => "toast toast-error",
                }>
                    <span>{toast.message.clone()}</span>
                    <button
                        type="button"
                        class="ml-3 rounded px-2 font-bold"
                        aria-label="Fermer la notification"
                        on:click=move |_| toasts.dismiss(toast.id)
                    >
                        "×"
                    </button>
                </div>
            </For>
        </div>
    }
}

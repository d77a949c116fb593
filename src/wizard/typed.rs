//! What the admin typed, where the wizard's text names it: a Setup path says the app's own name
//! ("External Client App Manager › My Apideck App (prod)"), a setting shows the value to enter,
//! the done screen's command carries the consumer key, the user and the My Domain. Before a
//! value is typed the text keeps its generic words ("the app"), never a blank.

use crate::recipe::Role;
use crate::wizard::model::{Model, Setup};
use crate::wizard::screen::Form;

/// Recipes and edit paths write this where the app's name goes.
pub const THE_APP: &str = "the app";
/// Edit paths write this where the integration user's name goes.
pub const THE_USER: &str = "the integration user";

/// The answers of a setup, with what is typed in the fields on show (not yet confirmed) first.
pub struct Typed<'a> {
    setup: &'a Setup,
    form: Option<&'a Form>,
}

impl<'a> Typed<'a> {
    pub fn new(setup: &'a Setup, form: Option<&'a Form>) -> Typed<'a> {
        Typed { setup, form }
    }

    /// The setup of `model` with the form on show; None before a recipe is chosen.
    pub fn of(model: &'a Model) -> Option<Typed<'a>> {
        let setup = model.setup.as_ref()?;
        Some(Typed::new(setup, model.screen.form()))
    }

    /// The value of the recipe field `id`: as typed on this screen, else as confirmed. Never
    /// a secret field's value.
    pub fn field(&self, id: &str) -> Option<String> {
        if self.setup.recipe.field(id).is_none_or(|f| f.secret) {
            return None;
        }
        let on_show = self.form.and_then(|form| {
            form.inputs
                .iter()
                .find(|i| i.field_id.as_deref() == Some(id))
                .map(|i| i.checked_form())
        });
        let value = match on_show {
            Some(typed) => typed,
            None => self.setup.answer(id)?.to_string(),
        };
        let value = value.trim();
        (!value.is_empty()).then(|| value.to_string())
    }

    /// Whether the recipe field `id` is among the fields on show.
    pub fn on_show(&self, id: &str) -> bool {
        self.form.is_some_and(|form| {
            form.inputs
                .iter()
                .any(|i| i.field_id.as_deref() == Some(id))
        })
    }

    /// The value of the recipe's field of `role`.
    pub fn role(&self, role: Role) -> Option<String> {
        self.field(self.setup.recipe.field_id(role)?)
    }

    /// A Setup path with the app's and the user's names in place of "the app" and "the
    /// integration user" (kept as they are until the names are typed).
    pub fn path<S: AsRef<str>>(&self, path: &[S]) -> Vec<String> {
        let app = self.role(Role::AppName);
        let user = self.role(Role::IntegrationUsername);
        path.iter()
            .map(|segment| {
                let segment = segment.as_ref();
                match (segment, &app, &user) {
                    (THE_APP, Some(app), _) => app.clone(),
                    (THE_USER, _, Some(user)) => user.clone(),
                    _ => match &app {
                        Some(app) if segment.starts_with("the app's ") => {
                            format!("{app} {}", &segment["the app's ".len()..])
                        }
                        _ => segment.to_string(),
                    },
                }
            })
            .collect()
    }
}

/// The words a recipe's hand-off writes for what the wizard knows by the end, and the value
/// each stands for: `{consumer_key}`, `{username}`, `{my_domain}`, `{mcp_server_url}`,
/// `{app_name}`. One left without a value stays as written, in capitals, for the admin to fill.
pub fn fill_handoff(text: &str, values: &[(&str, Option<String>)]) -> String {
    let mut out = text.to_string();
    for (name, value) in values {
        let token = format!("{{{name}}}");
        let with = value.clone().unwrap_or_else(|| name.to_ascii_uppercase());
        out = out.replace(&token, &with);
    }
    out
}

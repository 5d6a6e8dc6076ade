//! `import "name" as x;` resolves only inside rule libraries: the built-in
//! `rules/lib/` and the `lib/` folder of each user rule folder. No other file
//! can be read by a rule: a library is a regular file inside its rule folder
//! (a symlink out of it is refused). A built-in library's name always means
//! the built-in library, so a user folder cannot change what the built-in
//! rules compute (a user library with that name is reported when the rules
//! load, see `RuleSet::load`).

use rhai::{Engine, EvalAltResult, Module, ModuleResolver, Position, Scope, Shared};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::RwLock;

/// Whether `name` is one of the built-in rule libraries (`rules/lib/`).
pub fn is_builtin_lib(name: &str) -> bool {
    super::builtin::BUILTIN_RULES
        .iter()
        .any(|(p, _)| p.strip_prefix("lib/").and_then(|n| n.strip_suffix(".rhai")) == Some(name))
}

pub struct LibResolver {
    builtin: HashMap<String, &'static str>,
    dirs: Vec<PathBuf>,
    cache: RwLock<HashMap<String, Shared<Module>>>,
}

impl LibResolver {
    pub fn new(builtin: HashMap<String, &'static str>, dirs: Vec<PathBuf>) -> Self {
        LibResolver {
            builtin,
            dirs,
            cache: RwLock::new(HashMap::new()),
        }
    }

    /// The library's file name and source: the built-in one of that name,
    /// else the first user `lib/` that has it; an error when that file
    /// cannot be read (not a regular file, outside its folder, too large).
    fn load_source(&self, name: &str) -> Option<Result<(String, String), String>> {
        if let Some(s) = self.builtin.get(name) {
            return Some(Ok((format!("rules/lib/{name}.rhai"), s.to_string())));
        }
        for dir in &self.dirs {
            let p = dir.join(format!("{name}.rhai"));
            if std::fs::symlink_metadata(&p).is_ok() {
                let file = crate::input::display_path(&p);
                let root = dir.parent().unwrap_or(dir);
                return Some(
                    super::read_rule_file(root, &p)
                        .map(|src| (file.clone(), src))
                        .map_err(|e| format!("{file}: {e}")),
                );
            }
        }
        None
    }
}

impl ModuleResolver for LibResolver {
    fn resolve(
        &self,
        engine: &Engine,
        _source: Option<&str>,
        path: &str,
        pos: Position,
    ) -> Result<Shared<Module>, Box<EvalAltResult>> {
        let valid = !path.is_empty()
            && path
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !valid {
            return Err(EvalAltResult::ErrorRuntime(
                format!("不能导入“{path}”：规则只能按名称导入规则库 lib/ 中的模块").into(),
                pos,
            )
            .into());
        }
        if let Some(m) = self.cache.read().ok().and_then(|c| c.get(path).cloned()) {
            return Ok(m);
        }
        let (file, src) = match self.load_source(path) {
            None => return Err(EvalAltResult::ErrorModuleNotFound(path.to_string(), pos).into()),
            Some(Err(e)) => return Err(EvalAltResult::ErrorRuntime(e.into(), pos).into()),
            Some(Ok(found)) => found,
        };
        let mut ast = engine
            .compile(&src)
            .map_err(|e| EvalAltResult::ErrorInModule(file.clone(), e.into(), pos))?;
        ast.set_source(file.clone());
        let module = Module::eval_ast_as_new(Scope::new(), &ast, engine)
            .map_err(|e| EvalAltResult::ErrorInModule(file, e, pos))?;
        let shared: Shared<Module> = module.into();
        if let Ok(mut c) = self.cache.write() {
            c.insert(path.to_string(), shared.clone());
        }
        Ok(shared)
    }
}

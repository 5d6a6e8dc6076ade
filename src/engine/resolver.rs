//! `import "name" as x;` resolves only inside rule libraries: the built-in
//! `rules/lib/` and the `lib/` folder of each user rule folder. No other file
//! can be read by a rule.

use rhai::{Engine, EvalAltResult, Module, ModuleResolver, Position, Scope, Shared};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::RwLock;

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

    fn load_source(&self, name: &str) -> Option<(String, String)> {
        for dir in &self.dirs {
            let p = dir.join(format!("{name}.rhai"));
            if let Ok(src) = std::fs::read_to_string(&p) {
                return Some((p.display().to_string(), src));
            }
        }
        self.builtin
            .get(name)
            .map(|s| (format!("rules/lib/{name}.rhai"), s.to_string()))
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
        let Some((file, src)) = self.load_source(path) else {
            return Err(EvalAltResult::ErrorModuleNotFound(path.to_string(), pos).into());
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

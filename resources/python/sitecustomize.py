# SPDX-License-Identifier: MIT
"""Interleave's hook in a traced Python program, loaded as ``sitecustomize`` through PYTHONPATH.

It tells the preloaded recorder (libinterleave-preload.so) the names Python knows and C does not:
threads by their threading names, multiprocessing's processes by their Python names, and locks by
the variable they are assigned to (``accounts = threading.Lock()`` -> "accounts"), else by the
"file:line" that made them. Locks stay native objects: only their creation passes through here.

Whatever happens, the program runs as it would without it: every step is guarded, nothing is done
when the recorder is absent, and the program's own sitecustomize (if any) still runs.
"""

import os
import sys

INTERLEAVE_HOOK = True  # the recorder's call-site walk skips this file's directory


def _chain_other_sitecustomize():
    """Runs the sitecustomize this one hides (Debian's, a virtualenv's), as site would have."""
    try:
        here = os.path.dirname(os.path.abspath(__file__))
        path = [p for p in sys.path if os.path.abspath(p or os.curdir) != here]
        if sys.version_info[0] < 3:  # this file keeps Python 2's syntax, so it does not break it
            import imp

            found = imp.find_module("sitecustomize", path)
            imp.load_module("_interleave_chained_sitecustomize", *found)
            return
        import importlib.machinery
        import importlib.util

        spec = importlib.machinery.PathFinder.find_spec("sitecustomize", path)
        if spec is None or spec.loader is None:
            return
        module = importlib.util.module_from_spec(spec)
        sys.modules["_interleave_chained_sitecustomize"] = module
        spec.loader.exec_module(module)
    except ImportError:
        pass  # none to chain to (Python 2's imp says so with an ImportError)
    except Exception as error:  # what site.execsitecustomize prints for a failing sitecustomize
        sys.stderr.write(
            "Error in sitecustomize; set PYTHONVERBOSE for traceback:\n%s: %s\n" % (type(error).__name__, error)
        )


class _Recorder:
    """The recorder's C API, called with the GIL held (PyDLL): naming is quick and must not let
    another thread run in the middle of it."""

    def __init__(self, lib):
        import ctypes

        self.name_thread = lib.interleave_name_thread
        self.name_thread.argtypes = [ctypes.c_char_p]
        self.name_thread.restype = None
        self.name_process = lib.interleave_name_process
        self.name_process.argtypes = [ctypes.c_char_p]
        self.name_process.restype = None
        self.name_object_at = lib.interleave_name_object_at
        self.name_object_at.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        self.name_object_at.restype = None
        self.last_semaphore = lib.interleave_last_semaphore
        self.last_semaphore.argtypes = []
        self.last_semaphore.restype = ctypes.c_void_p
        # Optional: "this semaphore is a lock" (taken and given back by one thread), so that its
        # waits and holds are drawn as a lock's and a deadlock on it is a cycle.
        self.lock_at = getattr(lib, "interleave_lock_at", None)
        if self.lock_at is not None:
            self.lock_at.argtypes = [ctypes.c_void_p]
            self.lock_at.restype = None


def _load_recorder():
    if not os.environ.get("INTERLEAVE_LOG_FD"):
        return None  # not traced: do not even import ctypes
    try:
        import ctypes

        lib = ctypes.PyDLL(None)
        if not hasattr(lib, "interleave_name_thread"):
            return None
        return _Recorder(lib)
    except Exception:
        return None


def _always(_made):
    return True


def _text(value):
    return str(value).encode("utf-8", "replace")


class _Names:
    """Finds the names: library frames, assignment targets, creation sites."""

    _STORES = ("STORE_NAME", "STORE_GLOBAL", "STORE_FAST", "STORE_DEREF")
    _LOADS = ("LOAD_NAME", "LOAD_GLOBAL", "LOAD_FAST", "LOAD_DEREF", "LOAD_CLOSURE")

    def __init__(self, stdlib_dir):
        here = os.path.dirname(os.path.abspath(__file__))
        self.skip = [os.path.join(stdlib_dir, ""), os.path.join(here, "")]
        for entry in os.environ.get("INTERLEAVE_PYTHON_SKIP", "").replace(",", ":").split(":"):
            if entry:
                self.skip.append(os.path.join(entry, ""))
        self.cwd = os.getcwd()
        self.targets = {}

    def is_library(self, filename):
        if filename.startswith("<frozen "):
            return True
        if "/site-packages/" in filename or "/dist-packages/" in filename:
            return False  # installed packages are code the program chose: keep them
        return any(filename.startswith(prefix) for prefix in self.skip)

    def user_frame(self, frame):
        while frame is not None and self.is_library(frame.f_code.co_filename):
            frame = frame.f_back
        return frame

    def site(self, frame):
        filename = frame.f_code.co_filename
        if not filename.startswith("<") and not os.path.isabs(filename):
            filename = os.path.join(self.cwd, filename)
        return "%s:%d" % (filename, frame.f_lineno)

    def target(self, frame):
        """The variable or attribute the current call's result is stored to (or None), and
        whether it is a module's global."""
        key = (frame.f_code, frame.f_lasti)
        if key not in self.targets:
            self.targets[key] = self._find_target(*key)
        return self.targets[key]

    def _find_target(self, code, lasti):
        import dis

        # f_lasti may point into the call's inline cache (3.11): the call is the last
        # instruction that starts at or before it.
        instructions = list(dis.get_instructions(code))
        calls = [index for index, instruction in enumerate(instructions) if instruction.offset <= lasti]
        if not calls:
            return None, False
        after = instructions[calls[-1] + 1 : calls[-1] + 3]
        if after and after[0].opname in self._STORES:
            # name = Lock(); a module's global is its own (STORE_NAME at module level is one too)
            is_global = after[0].opname == "STORE_GLOBAL" or (
                after[0].opname == "STORE_NAME" and code.co_name == "<module>"
            )
            return after[0].argval, is_global
        if len(after) == 2 and after[0].opname in self._LOADS and after[1].opname == "STORE_ATTR":
            return after[1].argval, False  # self.name = Lock()
        return None, False


class _Hook:
    """What is patched, and the calls into the recorder (each one guarded)."""

    def __init__(self, recorder):
        self.recorder = recorder
        self.names = None  # made with threading, whose directory is the standard library's
        self.creating = None  # threading.local(): how deep this thread is in naming constructors
        self.here = os.path.abspath(__file__)

    def name_thread(self, name):
        try:
            self.recorder.name_thread(_text(name))
        except Exception:
            pass

    def name_process(self, name):
        try:
            self.recorder.name_process(_text(name))
        except Exception:
            pass

    def name_object(self, address, caller):
        """Names the lock at `address` made by a call from frame `caller`: "target" or
        "target.attribute" (a lock made inside a library object), else the program's "file:line"."""
        try:
            if not address or self.names is None:
                return
            parts, frame = [], caller
            while frame is not None and self.names.is_library(frame.f_code.co_filename):
                if frame.f_code.co_filename != self.here:
                    part, is_global = self.names.target(frame)
                    if is_global:  # the library's own lock (threading._active_limbo_lock)
                        module = frame.f_globals.get("__name__", "?")
                        self.recorder.name_object_at(address, _text("%s.%s" % (module, part)))
                        return
                    parts.append(part)
                frame = frame.f_back
            if frame is None:
                return
            head = self.names.target(frame)[0]
            if head is None:
                name = self.names.site(frame)
            else:
                name = ".".join([head] + [part for part in reversed(parts) if part])
            self.recorder.name_object_at(address, _text(name))
        except Exception:
            pass

    def creation(self, construct, address_of, is_lock=None):
        """Runs `construct()` once; names what it made when it is the outermost such call, and
        tells the recorder it is a lock when `is_lock(made)` says so (at any depth)."""
        try:
            state = self.creating
            depth = getattr(state, "depth", 0)
            state.depth = depth + 1
        except Exception:
            return construct()  # the bookkeeping failed: the lock is made, left unnamed
        try:
            made = construct()
        finally:
            state.depth = depth
        try:
            address = address_of(made)
            if address and is_lock is not None and self.recorder.lock_at is not None and is_lock(made):
                self.recorder.lock_at(address)
            if depth == 0:
                self.name_object(address, sys._getframe(2))
        except Exception:
            pass
        return made

    def last_semaphore(self, _made):
        try:
            return self.recorder.last_semaphore()
        except Exception:
            return None

    def patch_threading(self, threading):
        self.names = _Names(os.path.dirname(os.path.abspath(threading.__file__)))
        self.creating = threading.local()
        hook = self
        bootstrap_inner = threading.Thread._bootstrap_inner

        def _bootstrap_inner(thread):
            hook.name_thread(thread.name)
            return bootstrap_inner(thread)

        threading.Thread._bootstrap_inner = _bootstrap_inner
        self.patch_thread_rename(threading)
        # threading.Lock and RLock are factory functions (C ones): the lock returned stays the
        # native object, only its creation is wrapped. (Where one is a class, as Lock is from
        # Python 3.13, a function in its place would break isinstance(): it stays unnamed.)
        for factory in ("Lock", "RLock"):
            original = getattr(threading, factory)
            if not isinstance(original, type):
                setattr(threading, factory, self.factory(original))
        self.wrap_init(threading.Semaphore, lambda args, kwargs: True)
        # A Condition made around a given lock makes no lock of its own.
        self.wrap_init(threading.Condition, lambda args, kwargs: not args and kwargs.get("lock") is None)
        self.name_module_locks(threading)
        # The locks threading makes for itself (a Condition's waiter, taken twice: the second
        # take is the wait) are named after the program's line that led there; a waiter is a
        # signal between threads, not a lock, so it stays a semaphore.
        allocate = getattr(threading, "_allocate_lock", None)
        if allocate is not None and not isinstance(allocate, type):
            threading._allocate_lock = self.factory(allocate, None)

    def name_module_locks(self, module):
        """Names the locks `module` made while it was imported, before it could be patched
        (threading._active_limbo_lock): "module.attribute". CPython's lock objects keep their
        native lock (the sem_t the recorder knows) first after the object header; an address the
        recorder does not know is ignored by it."""
        if sys.implementation.name != "cpython":
            return
        import ctypes
        import _thread

        kinds = tuple(t for t in (getattr(_thread, "LockType", None), getattr(_thread, "RLock", None)) if t)
        header = object.__basicsize__
        for attribute, value in list(vars(module).items()):
            if kinds and type(value) in kinds:
                address = ctypes.c_void_p.from_address(id(value) + header).value
                if address:
                    self.recorder.name_object_at(address, _text("%s.%s" % (module.__name__, attribute)))

    def patch_thread_rename(self, threading):
        """A thread that renames itself (threading.current_thread().name = ...) is renamed."""
        hook = self
        name = threading.Thread.name
        if not isinstance(name, property) or name.fset is None:
            return
        get_ident = threading.get_ident

        def set_name(thread, value):
            name.fset(thread, value)
            if thread.ident is not None and thread.ident == get_ident():
                hook.name_thread(thread.name)

        threading.Thread.name = property(name.fget, set_name, name.fdel, name.__doc__)

    def factory(self, original, is_lock=_always):
        hook = self

        def make(*args, **kwargs):
            return hook.creation(lambda: original(*args, **kwargs), hook.last_semaphore, is_lock)

        make.__name__ = getattr(original, "__name__", "Lock")
        make.__qualname__ = getattr(original, "__qualname__", make.__name__)
        make.__doc__ = getattr(original, "__doc__", None)
        return make

    def wrap_init(self, cls, makes_lock, address_of=None, is_lock=None):
        hook = self
        original = cls.__init__
        address_of = address_of or self.last_semaphore

        def __init__(obj, *args, **kwargs):
            if not makes_lock(args, kwargs):
                return original(obj, *args, **kwargs)
            hook.creation(
                lambda: original(obj, *args, **kwargs),
                lambda _none: address_of(obj),
                None if is_lock is None else (lambda _none: is_lock(obj)),
            )

        __init__.__name__ = "__init__"
        __init__.__qualname__ = getattr(original, "__qualname__", "__init__")
        __init__.__doc__ = getattr(original, "__doc__", None)
        cls.__init__ = __init__

    def patch_sentinel(self, thread_module):
        """Each thread holds its "tstate lock" from its start to its end, and join() waits on it:
        named "<thread name>._tstate_lock", so a join is drawn as a wait for the thread's end
        instead of on a lane named after CPython's source. It stays a semaphore: as a lock, every
        thread would be drawn holding a lock all its life. _thread is patched before threading
        imports it, so the main thread's is named too."""
        hook = self
        original = getattr(thread_module, "_set_sentinel", None)
        if original is None:  # Python 3.13 joins through thread handles
            return

        def _set_sentinel():
            made = original()
            try:
                address = hook.recorder.last_semaphore()
                if address:
                    thread = sys._getframe(1).f_locals.get("self")  # Thread._set_tstate_lock's
                    name = getattr(thread, "_name", None)
                    if name:
                        hook.recorder.name_object_at(address, _text("%s._tstate_lock" % name))
            except Exception:
                pass
            return made

        thread_module._set_sentinel = _set_sentinel
        threading = sys.modules.get("threading")
        if threading is not None and getattr(threading, "_set_sentinel", None) is original:
            threading._set_sentinel = _set_sentinel

    def patch_multiprocessing_process(self, process):
        hook = self
        bootstrap = process.BaseProcess._bootstrap

        def _bootstrap(proc, *args, **kwargs):
            # The child of a fork or a spawn, before the target runs: it is this Process now.
            hook.name_process(proc.name)
            threading = sys.modules.get("threading")
            if threading is not None:
                hook.name_thread(threading.current_thread().name)
            return bootstrap(proc, *args, **kwargs)

        process.BaseProcess._bootstrap = _bootstrap

    def patch_multiprocessing_synchronize(self, synchronize):
        # Every multiprocessing lock, semaphore and condition is a SemLock around a named POSIX
        # semaphore; its handle is the sem_t address the recorder knows it by.
        def handle(semlock):
            return getattr(getattr(semlock, "_semlock", None), "handle", None)

        def is_lock(semlock):  # Lock and RLock; a Semaphore counts above 1
            return getattr(getattr(semlock, "_semlock", None), "maxvalue", 0) == 1

        self.wrap_init(synchronize.SemLock, lambda args, kwargs: True, handle, is_lock)


class _PatchingLoader:
    """Runs a module's loader, then patches the module; any other attribute is the loader's."""

    def __init__(self, loader, patch):
        self._loader = loader
        self._patch = patch

    def __getattr__(self, name):
        return getattr(self._loader, name)

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        # The module keeps its real loader (reload, get_source, pickling by reference).
        module.__loader__ = self._loader
        if getattr(module, "__spec__", None) is not None:
            module.__spec__.loader = self._loader
        self._patch(module)


class _PatchOnImport:
    """A meta-path finder that patches the named modules when they are first imported, so
    importing this hook imports nothing the program would not (threading, multiprocessing)."""

    def __init__(self, patches):
        self.patches = patches

    def find_spec(self, name, path=None, target=None):
        patch = self.patches.get(name)
        if patch is None:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                break
        else:
            return None
        if spec.loader is not None and hasattr(spec.loader, "exec_module"):
            spec.loader = _PatchingLoader(spec.loader, patch)
        return spec

    def invalidate_caches(self):
        pass


def _guarded(patch):
    def run(module):
        try:
            patch(module)
        except Exception:
            pass

    return run


def _install():
    if sys.version_info < (3, 6):
        return  # the names need importlib's finders and dis.get_instructions
    recorder = _load_recorder()
    if recorder is None:
        return
    hook = _Hook(recorder)
    try:
        import _thread  # built in: importing it runs nothing

        hook.patch_sentinel(_thread)
    except Exception:
        pass
    # In import order: multiprocessing imports threading first.
    patches = {
        "threading": _guarded(hook.patch_threading),
        "multiprocessing.process": _guarded(hook.patch_multiprocessing_process),
        "multiprocessing.synchronize": _guarded(hook.patch_multiprocessing_synchronize),
    }
    for name in list(patches):
        if name in sys.modules:  # imported already (by a .pth file or another sitecustomize)
            patches.pop(name)(sys.modules[name])
    if patches:
        sys.meta_path.insert(0, _PatchOnImport(patches))


_chain_other_sitecustomize()
try:
    _install()
except Exception:
    pass

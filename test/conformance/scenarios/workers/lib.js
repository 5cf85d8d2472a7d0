self.lib = 'lib loaded';
